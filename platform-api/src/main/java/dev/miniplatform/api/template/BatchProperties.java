package dev.miniplatform.api.template;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * {@code platform.batch.*}: batch jobs over many merchants (docs/operations.md).
 *
 * @param runnerEnabled   run the batch runner on this node (every node may; they share the work through leases)
 * @param concurrency     items this node executes at the same time (each one database transaction in a merchant's
 *                        tenant); bounded so a 10,000-item job cannot take every connection of the pool
 * @param claimBatch      items leased per claim; a node holds at most about concurrency + claimBatch items
 * @param lease           how long a claimed item belongs to its node; a node that dies leaves its items to be
 *                        claimed again after this. Must be well above the time one item takes
 * @param idlePoll        how often an idle runner looks for work (a job created on this node wakes it at once)
 * @param maxAttempts     attempts at one item before it is FAILED with the last attempt's failure as its reason. An
 *                        attempt counts when it fails for a reason that is not the item's own (the database went
 *                        away, an unexpected error, its node died, it outlived its lease); an item's own failure (no
 *                        grant, invalid data, a conflict) is final at once. So every item, and every job, ends within
 *                        about maxAttempts × (lease + retryDelay) while any runner runs
 * @param retryDelay      wait before an attempt that failed (for a reason not the item's own) is tried again
 * @param maxItems        items in one APPLY_TEMPLATE job
 * @param maxRequestBytes largest job request body (10,000 items with ext config and basic information fit); read as
 *                        it arrives, never whole in memory as a tree ({@link BatchRequestReader})
 * @param maxItemBytes    largest single item (or other top-level value) of a job request, as sent
 * @param checkBudget     CPU time that checking every item of one job request against the template's schema may
 *                        take in all (a typical item takes well under a millisecond); past it the request is a 400
 * @param eventsInterval  how often the Server-Sent Events stream of a job reports progress
 */
@Validated
@ConfigurationProperties("platform.batch")
record BatchProperties(
        @DefaultValue("true") boolean runnerEnabled,
        @Min(1) @Max(256) @DefaultValue("16") int concurrency,
        @Min(1) @Max(1000) @DefaultValue("32") int claimBatch,
        @NotNull @DefaultValue("60s") Duration lease,
        @NotNull @DefaultValue("250ms") Duration idlePoll,
        @Min(1) @Max(100) @DefaultValue("5") int maxAttempts,
        @NotNull @DefaultValue("30s") Duration retryDelay,
        @Min(1) @Max(100000) @DefaultValue("10000") int maxItems,
        @NotNull @DefaultValue("16MB") DataSize maxRequestBytes,
        @NotNull @DefaultValue("256KB") DataSize maxItemBytes,
        @NotNull @DefaultValue("10s") Duration checkBudget,
        @NotNull @DefaultValue("500ms") Duration eventsInterval) {

    @AssertTrue(message = "lease, idle-poll, retry-delay and events-interval must be positive; lease at least 1s")
    boolean isEveryDurationPositive() {
        return lease == null || idlePoll == null || retryDelay == null || eventsInterval == null
                || lease.toSeconds() >= 1 && idlePoll.isPositive() && retryDelay.isPositive() && eventsInterval.isPositive();
    }
}
