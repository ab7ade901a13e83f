package dev.miniplatform.api.template;

import com.fasterxml.jackson.annotation.JsonRawValue;
import dev.miniplatform.model.template.TemplateVersionState;

import java.time.Instant;
import java.util.UUID;

/** A template version; {@code extSchema} is the JSON Schema as uploaded (JSON, not a string). */
record TemplateVersionView(UUID templateId, String version, String description, String sha256, long size,
                           @JsonRawValue String extSchema, TemplateVersionState state, UUID reviewId, String reason,
                           String uploadedBy, Instant createdAt) {
}
