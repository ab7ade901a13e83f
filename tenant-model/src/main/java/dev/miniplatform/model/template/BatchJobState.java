package dev.miniplatform.model.template;

import dev.miniplatform.model.validation.ConflictException;

import java.util.List;

/**
 * {@code RUNNING → COMPLETED} when no item is open any more, or {@code RUNNING → CANCELED} on request (open items
 * are then SKIPPED; items already under way finish). Both ends are terminal.
 */
public enum BatchJobState {
    RUNNING, COMPLETED, CANCELED;

    /** @throws ConflictException naming the current state if the job is no longer running */
    public BatchJobState cancel() {
        if (this != RUNNING) {
            throw new ConflictException("The job is %s; only a running job can be canceled.".formatted(this), name(), List.of());
        }
        return CANCELED;
    }
}
