package dev.miniplatform.api.template;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.miniplatform.model.template.BatchJobKind;
import dev.miniplatform.model.template.BatchJobState;

import java.time.Instant;
import java.util.UUID;

/** A job and its progress: {@code pending} counts items not yet finished (waiting or under way). */
@JsonInclude(JsonInclude.Include.NON_NULL)
record BatchJobView(UUID id, BatchJobKind kind, BatchJobState state, int total, long succeeded, long failed,
                    long skipped, long pending, UUID template, String version, UUID fromJob, Target target,
                    Integer grayPercent, String createdBy, Instant createdAt, Instant finishedAt) {

    record Target(UUID wallet, String environment) {
    }
}
