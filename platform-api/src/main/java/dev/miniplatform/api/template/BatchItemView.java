package dev.miniplatform.api.template;

import dev.miniplatform.model.template.BatchItemState;

import java.time.Instant;
import java.util.UUID;

/** One merchant's item of a job and its result ({@code reason} says why it was skipped or failed). */
record BatchItemView(int seq, UUID merchant, BatchItemState state, String appId, String version, String reason,
                     int attempts, Instant updatedAt) {
}
