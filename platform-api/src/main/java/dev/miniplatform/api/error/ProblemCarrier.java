package dev.miniplatform.api.error;

import dev.miniplatform.auth.problem.Problem;

/**
 * A failure that knows the problem body it is answered with. A feature's exception implements it, so the one
 * translator of failures into problem details knows no feature: a new kind of failure brings its own mapping
 * instead of a new import and a new case there.
 */
public interface ProblemCarrier {

    /** The body the client reads: a stable {@code type}, the status and a detail that leaks no internals. */
    Problem problem();
}
