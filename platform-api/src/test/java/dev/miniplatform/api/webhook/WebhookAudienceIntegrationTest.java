package dev.miniplatform.api.webhook;

import dev.miniplatform.api.outbox.Outbox;
import dev.miniplatform.api.support.IntegrationTest;
import dev.miniplatform.api.support.KeycloakUsers.TestUser;
import dev.miniplatform.api.support.WebhookReceiver;
import dev.miniplatform.api.support.Workspace;
import dev.miniplatform.api.template.TemplateSteps;
import dev.miniplatform.api.template.TemplateSteps.Isv;
import dev.miniplatform.auth.config.KeycloakProperties;
import dev.miniplatform.infra.transaction.TenantContext;
import dev.miniplatform.infra.transaction.TenantTransactions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 17, item 5: a merchant's release and review events reach only the ISVs that may read its mini programs (an
 * ACTIVE authorization granting miniprogram:read, the ISV not suspended) — never an ISV authorized for other scopes
 * only, a suspended or revoked one, or another merchant's ISV. The webhook relay runs as in production.
 */
class WebhookAudienceIntegrationTest extends IntegrationTest {

    static WebhookReceiver receiver;
    static TestUser admin;
    static TestUser reviewer;

    @Autowired
    KeycloakProperties keycloakProperties;
    @Autowired
    TenantTransactions transactions;
    @Autowired
    DatabaseClient database;
    @Autowired
    Outbox outbox;
    @Autowired
    WebhookRelay relay;

    TemplateSteps steps;

    @BeforeEach
    void platformStaff() {
        if (receiver == null) {
            receiver = WebhookReceiver.start();
            admin = keycloak.newUserWithRealmRole("admin", "platform-admin");
            reviewer = keycloak.newUserWithRealmRole("reviewer", "platform-reviewer");
        }
        steps = new TemplateSteps(api, keycloak, keycloakProperties, receiver, admin, reviewer, transactions, database);
    }

    @AfterAll
    static void stopReceiver() {
        if (receiver != null) {
            receiver.close();
        }
    }

    @Test
    void releaseAndReviewEventsReachOnlyIsvsThatMayReadTheMerchantsMiniPrograms() {
        Workspace merchant = Workspace.create(api, keycloak);
        Workspace otherMerchant = Workspace.create(api, keycloak);

        Isv reader = steps.onboardIsv(List.of("miniprogram:read", "miniprogram:write"));
        steps.authorizeDirectly(merchant, reader);
        Isv applyOnly = steps.onboardIsv(List.of("template:apply"));
        steps.authorizeDirectly(merchant, applyOnly);
        Isv writeOnly = steps.onboardIsv(List.of("miniprogram:write", "miniprogram:release"));
        steps.authorizeDirectly(merchant, writeOnly);
        Isv suspended = steps.onboardIsv(List.of("miniprogram:read"));
        steps.authorizeDirectly(merchant, suspended);
        api.post().uri("/api/v1/admin/isvs/" + suspended.tenantId() + "/suspend")
                .headers(h -> h.setBearerAuth(admin.accessToken()))
                .exchange()
                .expectStatus().isOk();
        Isv revoked = steps.onboardIsv(List.of("miniprogram:read"));
        steps.revoke(merchant, steps.authorizeDirectly(merchant, revoked));
        Isv elsewhere = steps.onboardIsv(List.of("miniprogram:read"));
        steps.authorizeDirectly(otherMerchant, elsewhere);

        for (String type : List.of("release.full", "release.approve", "release.reject")) {
            String marker = "app-" + UUID.randomUUID();
            appendEvent(merchant, type, marker);
            awaitDelivery(reader, marker);
            relay.runOnce().block(Duration.ofSeconds(30));
            for (Isv excluded : List.of(applyOnly, writeOnly, suspended, revoked, elsewhere)) {
                assertThat(deliveries(excluded, marker)).as(type + " to " + excluded.name()).isZero();
            }
        }

        // the positive twin for the ISV of the other merchant: it hears about its own merchant's events only
        String marker = "app-" + UUID.randomUUID();
        appendEvent(otherMerchant, "release.full", marker);
        awaitDelivery(elsewhere, marker);
        relay.runOnce().block(Duration.ofSeconds(30));
        assertThat(deliveries(reader, marker)).isZero();
    }

    @Test
    void aSuspendedIsvIsSentNothingEvenOfItsOwnEventsUntilReinstated() {
        Isv isv = steps.onboardIsv(List.of("miniprogram:read"));
        Workspace merchant = Workspace.create(api, keycloak);
        api.post().uri("/api/v1/admin/isvs/" + isv.tenantId() + "/suspend")
                .headers(h -> h.setBearerAuth(admin.accessToken()))
                .exchange()
                .expectStatus().isOk();

        // the merchant requests an authorization of the (now suspended) ISV's service before the suspension shows
        // in the marketplace: its own authorization event is queued for it, and held
        String marker = UUID.randomUUID().toString();
        transactions.inTransaction(outbox.append(UUID.fromString(merchant.tenantId), "authorization.requested",
                        Map.of("isvTenantId", isv.tenantId(), "marker", marker)))
                .contextWrite(TenantContext.forTenant(UUID.fromString(merchant.tenantId), null))
                .block(Duration.ofSeconds(30));
        awaitDeliveryRow(isv, marker);
        relay.runOnce().block(Duration.ofSeconds(30));
        relay.runOnce().block(Duration.ofSeconds(30));
        assertThat(receiver.received()).noneMatch(each -> each.body().contains(marker));
        assertThat(state(isv, marker)).isEqualTo("PENDING");
    }

    private void appendEvent(Workspace merchant, String type, String appId) {
        Map<String, Object> event = Map.of("appId", appId, "version", "1.0.0", "wallet", UUID.randomUUID().toString(),
                "environment", "PROD", "state", "FULL", "previousState", "GRAY", "actor", "user:test");
        transactions.inTransaction(outbox.append(UUID.fromString(merchant.tenantId), type, event))
                .contextWrite(TenantContext.forTenant(UUID.fromString(merchant.tenantId), null))
                .block(Duration.ofSeconds(30));
    }

    /** The relay made the reading ISV's delivery and sent it: the event has been routed. */
    private void awaitDelivery(Isv isv, String marker) {
        receiver.await(each -> each.body().contains(marker), Duration.ofSeconds(30));
        assertThat(deliveries(isv, marker)).isEqualTo(1);
    }

    private void awaitDeliveryRow(Isv isv, String marker) {
        Instant deadline = Instant.now().plusSeconds(30);
        while (deliveries(isv, marker) == 0 && Instant.now().isBefore(deadline)) {
            relay.runOnce().block(Duration.ofSeconds(30));
        }
        assertThat(deliveries(isv, marker)).isEqualTo(1);
    }

    /** Deliveries made for the ISV, read in its own tenant. */
    private long deliveries(Isv isv, String marker) {
        return inTenant(isv, database.sql("select count(*) as n from webhook_deliveries where payload like $1")
                .bind(0, "%" + marker + "%")
                .map(row -> row.get("n", Long.class))
                .one());
    }

    private String state(Isv isv, String marker) {
        return inTenant(isv, database.sql("select state from webhook_deliveries where payload like $1")
                .bind(0, "%" + marker + "%")
                .map(row -> row.get("state", String.class))
                .one());
    }

    private <T> T inTenant(Isv isv, Mono<T> work) {
        return transactions.inTransaction(work)
                .contextWrite(TenantContext.forTenant(UUID.fromString(isv.tenantId()), null))
                .block(Duration.ofSeconds(30));
    }
}
