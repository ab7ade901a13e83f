package dev.miniplatform.api.release;

import dev.miniplatform.api.error.ProblemCarrier;
import dev.miniplatform.auth.problem.Problem;
import dev.miniplatform.auth.problem.ProblemType;

/**
 * A code package over {@code platform.release.max-package-bytes}: answered with 413.
 */
class PackageTooLargeException extends RuntimeException implements ProblemCarrier {

    PackageTooLargeException(long limit) {
        super("The code package exceeds the limit of %d bytes.".formatted(limit));
    }

    @Override
    public Problem problem() {
        return Problem.of(ProblemType.PAYLOAD_TOO_LARGE, getMessage());
    }
}
