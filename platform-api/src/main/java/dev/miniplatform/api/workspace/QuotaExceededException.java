package dev.miniplatform.api.workspace;

import dev.miniplatform.api.error.ProblemCarrier;
import dev.miniplatform.auth.problem.Problem;
import dev.miniplatform.auth.problem.ProblemType;
import dev.miniplatform.model.validation.ConflictException;

/**
 * A workspace quota would be passed. A conflict with the workspace's current state that the caller resolves by
 * deleting something, so a 409 (problem type {@code quota-exceeded}, naming the quota, its usage and its limit), and
 * in a batch job the item's own failure, with this message as its reason, while the job goes on.
 */
class QuotaExceededException extends ConflictException implements ProblemCarrier {

    private final String quota;
    private final long usage;
    private final long limit;
    private final Long requested;

    private QuotaExceededException(String message, String quota, long usage, long limit, Long requested) {
        super(message);
        this.quota = quota;
        this.usage = usage;
        this.limit = limit;
        this.requested = requested;
    }

    /** @param requested the bytes the refused write needed, or null when refused before they were known */
    static QuotaExceededException storage(long usage, long limit, Long requested) {
        String needed = requested == null ? "" : " and this needs %d more".formatted(requested);
        return new QuotaExceededException(("The workspace's storage quota is used up: %d of %d bytes are stored%s. "
                + "Delete versions, mini programs or logos to make room.").formatted(usage, limit, needed),
                Quotas.STORAGE, usage, limit, requested);
    }

    static QuotaExceededException miniPrograms(long usage, long limit) {
        return new QuotaExceededException("This workspace already has the maximum of %d mini programs.".formatted(limit),
                Quotas.MINI_PROGRAMS, usage, limit, 1L);
    }

    /** The quota by the name the usage endpoint gives it. */
    public String quota() {
        return quota;
    }

    public long usage() {
        return usage;
    }

    public long limit() {
        return limit;
    }

    public Long requested() {
        return requested;
    }

    /** A 409 of its own type (not the generic conflict), naming the quota so a client can show what to delete. */
    @Override
    public Problem problem() {
        return Problem.of(ProblemType.QUOTA_EXCEEDED, getMessage())
                .withQuota(new Problem.Quota(quota, usage, limit, requested));
    }
}
