package dev.miniplatform.model.template;

/**
 * {@code PENDING → RUNNING} (claimed by a node under a lease) {@code → SUCCEEDED | SKIPPED | FAILED}. A RUNNING item
 * whose lease ran out (its node died) is claimed again; execution is idempotent, so a second run finds the first's
 * effect and reports it instead of repeating it.
 */
public enum BatchItemState {
    PENDING, RUNNING, SUCCEEDED, SKIPPED, FAILED;

    public boolean finished() {
        return this == SUCCEEDED || this == SKIPPED || this == FAILED;
    }
}
