package dev.miniplatform.model.isv;

import dev.miniplatform.model.VersionedEntity;
import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.Version;
import org.springframework.data.relational.core.mapping.Table;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * An ISV tenant's OAuth application: its confidential Keycloak client ({@code clientUuid} is Keycloak's internal
 * id) and its webhook endpoint. The client secret lives only in Keycloak; the webhook secret is kept here because
 * the platform signs with it. During a webhook secret rotation the previous secret keeps signing until
 * {@code previousSecretUntil}. {@code redirectUris} are joined by spaces.
 */
@Table("isv_applications")
public record IsvApplication(
        @Id UUID tenantId,
        String clientId,
        String clientUuid,
        String name,
        String redirectUris,
        String webhookUrl,
        String webhookSecret,
        String previousWebhookSecret,
        Instant previousSecretUntil,
        IsvStatus status,
        Instant createdAt,
        Instant updatedAt,
        @Version Long version) implements VersionedEntity<UUID> {

    @Override
    public UUID id() {
        return tenantId;
    }

    public List<String> redirectUriList() {
        return Arrays.asList(redirectUris.split(" "));
    }

    public IsvApplication withSettings(String newName, String newRedirectUris, String newWebhookUrl, Instant now) {
        return new IsvApplication(tenantId, clientId, clientUuid, newName, newRedirectUris, newWebhookUrl, webhookSecret,
                previousWebhookSecret, previousSecretUntil, status, createdAt, now, version);
    }

    /** The new secret signs from now on; the old one also signs until {@code overlapUntil}. */
    public IsvApplication withRotatedWebhookSecret(String newSecret, Instant overlapUntil, Instant now) {
        return new IsvApplication(tenantId, clientId, clientUuid, name, redirectUris, webhookUrl, newSecret,
                webhookSecret, overlapUntil, status, createdAt, now, version);
    }

    public IsvApplication withStatus(IsvStatus newStatus, Instant now) {
        return new IsvApplication(tenantId, clientId, clientUuid, name, redirectUris, webhookUrl, webhookSecret,
                previousWebhookSecret, previousSecretUntil, newStatus, createdAt, now, version);
    }
}
