package dev.miniplatform.api.access;

import dev.miniplatform.api.error.ProblemCarrier;
import dev.miniplatform.auth.problem.Problem;
import dev.miniplatform.auth.problem.ProblemType;

/**
 * The thing existed but can no longer be used: an expired or withdrawn invitation.
 */
public class GoneException extends RuntimeException implements ProblemCarrier {

    public GoneException(String message) {
        super(message);
    }

    @Override
    public Problem problem() {
        return Problem.of(ProblemType.GONE, getMessage());
    }
}
