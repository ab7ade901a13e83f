package dev.miniplatform.api.template;

import java.time.Instant;
import java.util.UUID;

record TemplateView(UUID id, String name, String description, String industry, String createdBy, Instant createdAt) {
}
