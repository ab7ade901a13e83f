package dev.miniplatform.model.wallet;

import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.Transient;
import org.springframework.data.domain.Persistable;
import org.springframework.data.relational.core.mapping.Table;

import java.time.Instant;
import java.util.UUID;

/**
 * A super app that runs mini programs, registered by a platform admin. It is also a Keycloak client
 * ({@code clientId}) that reads released metadata with client credentials.
 *
 * @param sandboxReview  whether releases to this wallet's SANDBOX environment need a review
 * @param deepLinkScheme the URI scheme the wallet app opens previews with ({@code <scheme>://preview?…})
 */
@Table("wallets")
public record Wallet(@Id UUID id, String name, String clientId, boolean sandboxReview, String createdBy,
                     Instant createdAt, String deepLinkScheme) implements Persistable<UUID> {

    @Override
    public UUID getId() {
        return id;
    }

    /** Wallets are registered once and never updated through the entity. */
    @Override
    @Transient
    public boolean isNew() {
        return true;
    }
}
