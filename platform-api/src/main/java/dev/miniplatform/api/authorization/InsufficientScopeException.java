package dev.miniplatform.api.authorization;

import dev.miniplatform.api.error.ProblemCarrier;
import dev.miniplatform.auth.problem.Problem;
import dev.miniplatform.auth.problem.ProblemType;

/** An authorized ISV's grant does not include the scope this operation needs (403 insufficient_scope). */
public class InsufficientScopeException extends RuntimeException implements ProblemCarrier {

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

    @Override
    public Problem problem() {
        return Problem.of(ProblemType.INSUFFICIENT_SCOPE, getMessage());
    }
}
