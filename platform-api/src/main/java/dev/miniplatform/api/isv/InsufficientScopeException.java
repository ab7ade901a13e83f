package dev.miniplatform.api.isv;

/** An authorized ISV's grant does not include the scope this operation needs (403 insufficient_scope). */
public class InsufficientScopeException extends RuntimeException {

    private final String scope;

    public InsufficientScopeException(String scope) {
        super("The merchant's authorization does not grant '" + scope + "' for this operation.");
        this.scope = scope;
    }

    public String scope() {
        return scope;
    }
}
