package dev.miniplatform.api.access;

import dev.miniplatform.api.error.ProblemCarrier;
import dev.miniplatform.auth.problem.Problem;
import dev.miniplatform.auth.problem.ProblemType;

/**
 * The caller is a member of the tenant but their role does not allow this. (Non-members get 404, never this.)
 */
public class ForbiddenException extends RuntimeException implements ProblemCarrier {

    public ForbiddenException(String message) {
        super(message);
    }

    @Override
    public Problem problem() {
        return Problem.of(ProblemType.FORBIDDEN, getMessage());
    }
}
