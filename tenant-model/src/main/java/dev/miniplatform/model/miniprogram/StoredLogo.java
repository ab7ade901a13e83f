package dev.miniplatform.model.miniprogram;

import org.springframework.data.relational.core.mapping.Table;

import java.time.Instant;
import java.util.UUID;

/**
 * Logo bytes, content-addressed by SHA-256 within a tenant: immutable, so they can be cached forever by hash.
 */
@Table("logos")
public record StoredLogo(UUID tenantId, String sha256, String contentType, int width, int height, byte[] bytes,
                         Instant createdAt) {
}
