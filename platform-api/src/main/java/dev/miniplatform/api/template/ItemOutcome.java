package dev.miniplatform.api.template;

import dev.miniplatform.model.template.BatchItemState;

/**
 * The result of one item: what the runner records.
 *
 * @param catalogChanged the item changed what wallets may see: caches are invalidated after its commit
 * @param recorded       the result was written to the item in the transaction of the effect itself
 */
record ItemOutcome(BatchItemState state, String appId, String version, String reason, boolean catalogChanged,
                   boolean recorded) {

    ItemOutcome(BatchItemState state, String appId, String version, String reason, boolean catalogChanged) {
        this(state, appId, version, reason, catalogChanged, false);
    }

    /** Written to the item in the same transaction as its effect. */
    ItemOutcome asRecorded() {
        return new ItemOutcome(state, appId, version, reason, catalogChanged, true);
    }

    static ItemOutcome succeeded(String appId, String version, boolean catalogChanged) {
        return new ItemOutcome(BatchItemState.SUCCEEDED, appId, version, null, catalogChanged);
    }

    static ItemOutcome skipped(String appId, String version, String reason) {
        return new ItemOutcome(BatchItemState.SKIPPED, appId, version, reason, false);
    }

    static ItemOutcome failed(String reason) {
        return new ItemOutcome(BatchItemState.FAILED, null, null, reason, false);
    }
}
