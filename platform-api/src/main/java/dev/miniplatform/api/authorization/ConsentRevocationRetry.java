package dev.miniplatform.api.authorization;

import dev.miniplatform.api.isv.IsvProperties;
import dev.miniplatform.infra.polling.PollingLoop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.util.UUID;

/**
 * Keycloak's part of revocations that failed at the time (the consent is still there): retried every relay interval
 * until Keycloak takes it. The revocation itself was already in force on the platform's side.
 */
@Component
class ConsentRevocationRetry extends PollingLoop {

    private static final Logger log = LoggerFactory.getLogger(ConsentRevocationRetry.class);
    private static final int BATCH = 100;

    private final DatabaseClient database;
    private final AuthorizationService authorizations;
    private final IsvProperties properties;

    ConsentRevocationRetry(DatabaseClient database, AuthorizationService authorizations, IsvProperties properties) {
        this.database = database;
        this.authorizations = authorizations;
        this.properties = properties;
    }

    /** One pass over the revocations due. */
    Mono<Void> runOnce() {
        return database.sql("select * from consent_revocations_due($1)")
                .bind(0, BATCH)
                .map(row -> authorizations.revokeConsent(row.get("tenant_id", UUID.class), row.get("id", UUID.class),
                        row.get("granted_by", String.class), row.get("client_id", String.class)))
                .all()
                .concatMap(revocation -> revocation)
                .then();
    }

    @Override
    protected boolean enabled() {
        return properties.relayEnabled();
    }

    @Override
    protected Flux<Void> work() {
        return every(properties.relayInterval(), this::runOnce, failure ->
                log.warn("Consent revocation retry failed; the next pass retries: {}", failure.toString()));
    }
}
