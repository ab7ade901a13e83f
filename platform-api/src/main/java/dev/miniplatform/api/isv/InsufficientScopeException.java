package dev.miniplatform.api.isv;

/** An authorized ISV's grant does not include the scope this operation needs (403 insufficient_scope). */
public class InsufficientScopeException extends RuntimeException {

    private final String scope;

    public InsufficientScopeException(String scope) {
        this(scope, "The merchant's authorization does not grant '" + scope + "' for this operation.");
    }

    /** @param detail what the caller reads: which grant lacks the scope and what to do */
    public InsufficientScopeException(String scope, String detail) {
        super(detail);
        this.scope = scope;
    }

    public String scope() {
        return scope;
    }
}
