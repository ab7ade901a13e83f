package dev.miniplatform.api.authorization;

import dev.miniplatform.api.outbox.Outbox;
import dev.miniplatform.api.support.CodePackagesForTests;
import dev.miniplatform.infra.transaction.TenantContext;
import dev.miniplatform.infra.transaction.TenantTransactions;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import dev.miniplatform.api.support.IntegrationTest;
import dev.miniplatform.api.support.KeycloakBrowser;
import dev.miniplatform.api.support.KeycloakUsers.TestUser;
import dev.miniplatform.api.support.NodeProcess;
import dev.miniplatform.api.support.WebhookReceiver;
import dev.miniplatform.api.support.Workspace;
import dev.miniplatform.auth.config.KeycloakProperties;
import dev.miniplatform.api.isv.WebhookSecrets;
import dev.miniplatform.auth.config.StandingProperties;
import dev.miniplatform.infra.polling.PollingLoop;
import dev.miniplatform.model.isv.DelegationScope;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.keycloak.representations.idm.UserRepresentation;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.http.MediaType;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.util.UriComponentsBuilder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;

/**
 * The delegated flow end to end with real Keycloak, PostgreSQL, Redis and a real webhook receiver on loopback:
 * ISV onboarding → service approved → the merchant owner logs in and consents on Keycloak's pages → code exchange
 * with the ISV's secret and PKCE → the ISV works for the merchant → the merchant revokes → the ISV is refused and
 * cannot refresh → every webhook arrived with a signature an independent verifier accepts.
 */
class IsvDelegationIntegrationTest extends IntegrationTest {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static final Duration WEBHOOK_WAIT = Duration.ofSeconds(30);

    static WebhookReceiver receiver;
    static TestUser admin;
    static TestUser reviewer;
    static String wallet;

    @Autowired
    KeycloakProperties keycloakProperties;

    /** The webhook relay, stopped and started to hold deliveries back. */
    @Autowired
    @Qualifier("webhookRelay")
    PollingLoop relay;

    @Autowired
    Outbox outbox;

    @Autowired
    TenantTransactions transactions;

    @Autowired
    Environment environment;

    @Autowired
    org.springframework.r2dbc.core.DatabaseClient database;

    @Autowired
    StandingProperties standing;

    @BeforeEach
    void platformStaff() {
        if (receiver == null) {
            receiver = WebhookReceiver.start();
            admin = keycloak.newUserWithRealmRole("admin", "platform-admin");
            reviewer = keycloak.newUserWithRealmRole("reviewer", "platform-reviewer");
            wallet = post(admin, "/api/v1/admin/wallets", Map.of("name", "ISV Test Wallet", "sandboxReview", true))
                    .expectStatus().isCreated()
                    .expectBody(JsonNode.class).returnResult().getResponseBody().get("id").asString();
        }
    }

    @AfterAll
    static void stopReceiver() {
        if (receiver != null) {
            receiver.close();
        }
    }

    /** An onboarded ISV with its secrets and one approved service. */
    record Isv(TestUser owner, String tenantId, String clientId, String clientSecret, String webhookSecret,
               String serviceId, String name) {
    }

    record Tokens(String access, String refresh) {
    }

    @Test
    void theWholeDelegatedFlowFromOnboardingToRevocation() {
        Isv isv = onboardIsv(List.of("miniprogram:read", "miniprogram:write", "miniprogram:release"));
        Workspace merchant = Workspace.create(api, keycloak);
        Workspace otherMerchant = Workspace.create(api, keycloak);

        JsonNode authorization = requestAuthorization(merchant, isv);
        String authorizationId = authorization.get("id").asString();
        assertThat(authorization.get("state").asString()).isEqualTo("PENDING_CONSENT");
        String authorizeUrl = authorization.get("authorizeUrl").asString();
        assertThat(URI.create(authorizeUrl).getQuery()).contains("organization:" + merchant.tenantId)
                .contains("client_id=" + isv.clientId()).contains("code_challenge_method=S256");

        KeycloakBrowser browser = new KeycloakBrowser();
        Tokens tokens = consentAndExchange(browser, isv, merchant.owner, authorizeUrl, authorizationId);
        String consentPage = browser.pages().stream().filter(page -> page.contains("name=\"accept\"")).findFirst().orElseThrow();
        assertThat(consentPage).contains(isv.name())
                .contains(DelegationScope.MINIPROGRAM_WRITE.consentText().replace("'", "&#39;"))
                // the platform's login theme names the merchant the ISV asks to act for (the organization scope's)
                .contains("on behalf of the merchant workspace Tea House " + merchant.owner.username())
                .doesNotContain("Tea House " + otherMerchant.owner.username());
        Map<String, Object> claims = claims(tokens.access());
        assertThat(claims.get("azp")).isEqualTo(isv.clientId());
        assertThat(claims.get("organization").toString()).contains(merchant.tenantId);
        assertThat(claims.get("scope").toString()).contains("miniprogram:write").doesNotContain("template:apply");

        // consent given, but the platform has not seen a token yet: still pending, never active before consent
        assertThat(authorizationOf(merchant, authorizationId).get("state").asString()).isEqualTo("PENDING_CONSENT");

        // the ISV creates a mini program for the merchant: the token activates the authorization
        String appId = api.post().uri(merchant.path("/mini-programs"))
                .headers(h -> h.setBearerAuth(tokens.access()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Workspace.validMiniProgram("ISV Tea"))
                .exchange()
                .expectStatus().isCreated()
                .expectBody(JsonNode.class).returnResult().getResponseBody().get("appId").asString();
        JsonNode active = authorizationOf(merchant, authorizationId);
        assertThat(active.get("state").asString()).isEqualTo("ACTIVE");
        assertThat(active.get("grantedBy").asString()).isEqualTo(merchant.owner.id());

        // the ISV's console lists the merchant that authorized it; no one outside the ISV reads that list
        api.get().uri("/api/v1/tenants/" + isv.tenantId() + "/authorized-merchants")
                .headers(h -> h.setBearerAuth(isv.owner().accessToken()))
                .exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.length()").isEqualTo(1)
                .jsonPath("$[0].merchant").isEqualTo(merchant.tenantId)
                .jsonPath("$[0].merchantName").isEqualTo("Tea House " + merchant.owner.username())
                .jsonPath("$[0].state").isEqualTo("ACTIVE")
                .jsonPath("$[0].scopes.length()").isEqualTo(3);
        api.get().uri("/api/v1/tenants/" + isv.tenantId() + "/authorized-merchants")
                .headers(h -> h.setBearerAuth(merchant.owner.accessToken()))
                .exchange()
                .expectStatus().isNotFound();
        api.get().uri(merchant.path("/authorized-merchants"))
                .headers(h -> h.setBearerAuth(merchant.owner.accessToken()))
                .exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.length()").isEqualTo(0);

        // the mini program is the merchant's: its owner sees it
        api.get().uri(merchant.path("/mini-programs/" + appId))
                .headers(h -> h.setBearerAuth(merchant.owner.accessToken()))
                .exchange()
                .expectStatus().isOk();

        // never for ISVs: members, invitations, authorizations, audit; nor another merchant
        for (String path : List.of("/members", "/invitations", "/authorizations", "/audit-events")) {
            api.get().uri(merchant.path(path)).headers(h -> h.setBearerAuth(tokens.access()))
                    .exchange().expectStatus().isNotFound();
        }
        api.get().uri(otherMerchant.path("/mini-programs")).headers(h -> h.setBearerAuth(tokens.access()))
                .exchange().expectStatus().isNotFound();

        // a version, submitted for review; the reviewer's approval reaches the ISV as a webhook
        upload(merchant, tokens.access(), appId, "1.0.0").expectStatus().isCreated();
        String reviewId = api.post().uri(merchant.path("/mini-programs/" + appId + "/versions/1.0.0/submit"))
                .headers(h -> h.setBearerAuth(tokens.access()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("target", Map.of("wallet", wallet, "environment", "PROD")))
                .exchange()
                .expectStatus().isAccepted()
                .expectBody(JsonNode.class).returnResult().getResponseBody().get("reviewId").asString();
        api.post().uri("/api/v1/reviews/" + reviewId + "/approve")
                .headers(h -> h.setBearerAuth(reviewer.accessToken()))
                .exchange()
                .expectStatus().isOk();

        // the audit log names the ISV acting on behalf of the merchant
        api.get().uri(merchant.path("/audit-events?size=100"))
                .headers(h -> h.setBearerAuth(merchant.owner.accessToken()))
                .exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.items[?(@.action == 'version.uploaded')].actor")
                .value(hasItem(containsString("on behalf of merchant " + merchant.tenantId)));

        WebhookReceiver.Received granted = awaitWebhook(isv, "authorization.granted", authorizationId);
        WebhookReceiver.Received approved = awaitWebhook(isv, "version.review_approved", appId);
        assertThat(data(approved).get("merchantId").asString()).isEqualTo(merchant.tenantId);

        // revocation: the very next ISV request is refused, and Keycloak refuses to refresh
        api.delete().uri(merchant.path("/authorizations/" + authorizationId))
                .headers(h -> h.setBearerAuth(merchant.owner.accessToken()))
                .exchange()
                .expectStatus().isNoContent();
        api.get().uri(merchant.path("/mini-programs/" + appId))
                .headers(h -> h.setBearerAuth(tokens.access()))
                .exchange()
                .expectStatus().isNotFound();
        HttpResponse<String> refresh = tokenRequest(Map.of("grant_type", "refresh_token", "refresh_token", tokens.refresh(),
                "client_id", isv.clientId(), "client_secret", isv.clientSecret()));
        assertThat(refresh.statusCode()).isEqualTo(400);
        assertThat(refresh.body()).contains("invalid_grant");
        assertThat(authorizationOf(merchant, authorizationId).get("state").asString()).isEqualTo("REVOKED");
        awaitWebhook(isv, "authorization.revoked", authorizationId);

        // every webhook the ISV got is signed with its secret, verified independently of the platform's code
        List<WebhookReceiver.Received> mine = receiver.received().stream()
                .filter(each -> each.body().contains(isv.tenantId()) || each.body().contains(merchant.tenantId))
                .toList();
        assertThat(mine).isNotEmpty();
        mine.forEach(each -> assertThat(validSignature(each, isv.webhookSecret())).as(each.body()).isTrue());
        assertThat(validSignature(granted, WebhookSecrets.generate())).isFalse();

        // the ISV's delivery log shows them delivered; another tenant cannot see it
        api.get().uri("/api/v1/tenants/" + isv.tenantId() + "/webhook-deliveries?state=DELIVERED&size=100")
                .headers(h -> h.setBearerAuth(isv.owner().accessToken()))
                .exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.items[*].type").value(hasItem("authorization.revoked"))
                .jsonPath("$.items[*].id").value(hasItem(granted.header("webhook-id")));
        api.get().uri("/api/v1/tenants/" + isv.tenantId() + "/webhook-deliveries")
                .headers(h -> h.setBearerAuth(merchant.owner.accessToken()))
                .exchange()
                .expectStatus().isNotFound();

        // re-authorizing after revocation is a new record
        JsonNode again = requestAuthorization(merchant, isv);
        assertThat(again.get("id").asString()).isNotEqualTo(authorizationId);
        // and the old, still unexpired access token proves no consent to it
        api.get().uri(merchant.path("/mini-programs/" + appId))
                .headers(h -> h.setBearerAuth(tokens.access()))
                .exchange()
                .expectStatus().isNotFound();
        assertThat(authorizationOf(merchant, again.get("id").asString()).get("state").asString()).isEqualTo("PENDING_CONSENT");
    }

    @Test
    void aReadOnlyGrantReadsButCannotWriteAndTheSameServiceIsAuthorizedOnlyOnce() {
        Isv isv = onboardIsv(List.of("miniprogram:read"));
        Workspace merchant = Workspace.create(api, keycloak);
        String appId = merchant.createMiniProgram(merchant.owner, "Own Tea");
        JsonNode authorization = requestAuthorization(merchant, isv);
        Tokens tokens = consentAndExchange(new KeycloakBrowser(), isv, merchant.owner,
                authorization.get("authorizeUrl").asString(), authorization.get("id").asString());

        api.get().uri(merchant.path("/mini-programs/" + appId)).headers(h -> h.setBearerAuth(tokens.access()))
                .exchange().expectStatus().isOk();
        api.put().uri(merchant.path("/mini-programs/" + appId)).headers(h -> h.setBearerAuth(tokens.access()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Workspace.validMiniProgram("Changed Tea"))
                .exchange()
                .expectStatus().isForbidden()
                .expectBody().jsonPath("$.type").isEqualTo("urn:mini-program-platform:problem:insufficient_scope");
        api.post().uri(merchant.path("/mini-programs")).headers(h -> h.setBearerAuth(tokens.access()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Workspace.validMiniProgram("New Tea"))
                .exchange()
                .expectStatus().isForbidden();

        // one ACTIVE authorization per (merchant, ISV, service)
        post(merchant.owner, merchant.path("/authorizations"), Map.of("serviceId", isv.serviceId()))
                .expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.currentState").isEqualTo("ACTIVE");

        // a platform admin suspends the ISV: its token is refused at once, and Keycloak stops refreshing it
        api.post().uri("/api/v1/admin/isvs/" + isv.tenantId() + "/suspend")
                .headers(h -> h.setBearerAuth(admin.accessToken()))
                .exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("SUSPENDED");
        api.get().uri(merchant.path("/mini-programs/" + appId)).headers(h -> h.setBearerAuth(tokens.access()))
                .exchange().expectStatus().isNotFound();
        HttpResponse<String> refresh = tokenRequest(Map.of("grant_type", "refresh_token", "refresh_token", tokens.refresh(),
                "client_id", isv.clientId(), "client_secret", isv.clientSecret()));
        assertThat(refresh.statusCode()).isBetween(400, 401);
    }

    @Test
    void anIsvIsRefusedOnceTheMerchantUserWhoConsentedIsDisabledInKeycloak() {
        Isv isv = onboardIsv(List.of("miniprogram:read"));
        Workspace merchant = Workspace.create(api, keycloak);
        String path = merchant.path("/mini-programs/" + merchant.createMiniProgram(merchant.owner, "Consenter Tea"));
        JsonNode authorization = requestAuthorization(merchant, isv);
        Tokens tokens = consentAndExchange(new KeycloakBrowser(), isv, merchant.owner,
                authorization.get("authorizeUrl").asString(), authorization.get("id").asString());
        api.get().uri(path).headers(h -> h.setBearerAuth(tokens.access())).exchange().expectStatus().isOk();

        // the token acts for the person who consented; Keycloak would no longer refresh it, and the platform
        // no longer honours it (within max-age; the slack is for a saturated machine)
        keycloakAdmin().call(realm -> {
            UserRepresentation user = realm.users().get(merchant.owner.id()).toRepresentation();
            user.setEnabled(false);
            realm.users().get(merchant.owner.id()).update(user);
            return user.getId();
        }).block(Duration.ofSeconds(30));
        awaitStatus(api, path, tokens.access(), 401, standing.maxAge().plusSeconds(10));
        HttpResponse<String> refresh = tokenRequest(Map.of("grant_type", "refresh_token", "refresh_token", tokens.refresh(),
                "client_id", isv.clientId(), "client_secret", isv.clientSecret()));
        assertThat(refresh.statusCode()).isBetween(400, 401);
    }

    @Test
    void aDeveloperOfTheMerchantCannotGrantItsWorkspaceAway() {
        Isv isv = onboardIsv(List.of("miniprogram:read"));
        Workspace merchant = Workspace.create(api, keycloak);
        String appId = merchant.createMiniProgram(merchant.owner, "Dev Tea");
        TestUser developer = merchant.join("DEVELOPER", List.of(appId));
        JsonNode authorization = requestAuthorization(merchant, isv);
        // the developer is a member of the merchant's organization, so Keycloak lets them consent…
        Tokens tokens = consentAndExchange(new KeycloakBrowser(), isv, developer,
                authorization.get("authorizeUrl").asString(), authorization.get("id").asString());
        // …but the platform does not take a developer's consent as the merchant's grant
        api.get().uri(merchant.path("/mini-programs/" + appId)).headers(h -> h.setBearerAuth(tokens.access()))
                .exchange().expectStatus().isNotFound();
        assertThat(authorizationOf(merchant, authorization.get("id").asString()).get("state").asString())
                .isEqualTo("PENDING_CONSENT");
    }

    @Test
    void servicesAreListedOnlyOnceApprovedAndBadInputNamesEveryField() {
        TestUser owner = keycloak.newUser("isv-owner");
        String isvId = createTenant(owner, "ISV", "Bad Input ISV");
        put(owner, "/api/v1/tenants/" + isvId + "/isv-application",
                Map.of("name", "X", "redirectUris", List.of("http://example.com/cb", "https://ok.example/cb#frag"),
                        "webhookUrl", "http://10.0.0.1/hooks"))
                .expectStatus().isBadRequest()
                .expectBody()
                .jsonPath("$.errors[*].field").value(hasItem("name"))
                .jsonPath("$.errors[*].field").value(hasItem("redirectUris[0]"))
                .jsonPath("$.errors[*].field").value(hasItem("redirectUris[1]"))
                .jsonPath("$.errors[*].field").value(hasItem("webhookUrl"));
        post(owner, "/api/v1/tenants/" + isvId + "/services", Map.of("type", "OTHER", "name", "S",
                "description", "short", "industries", List.of(), "scopes", List.of("admin:all")))
                .expectStatus().isBadRequest()
                .expectBody()
                .jsonPath("$.errors[*].field").value(hasItem("type"))
                .jsonPath("$.errors[*].field").value(hasItem("name"))
                .jsonPath("$.errors[*].field").value(hasItem("description"))
                .jsonPath("$.errors[*].field").value(hasItem("industries"))
                .jsonPath("$.errors[*].field").value(hasItem("scopes[0]"));

        // a merchant workspace cannot onboard as ISV; a stranger cannot touch the ISV's application
        Workspace merchant = Workspace.create(api, keycloak);
        put(merchant.owner, merchant.path("/isv-application"), Map.of("name", "Not an ISV",
                "redirectUris", List.of("https://isv.example/cb"))).expectStatus().isEqualTo(409);
        put(merchant.owner, "/api/v1/tenants/" + isvId + "/isv-application", Map.of("name", "Hijack",
                "redirectUris", List.of("https://isv.example/cb"))).expectStatus().isNotFound();

        Isv isv = onboardIsv(List.of("miniprogram:read"), false);
        String unique = isv.name();
        marketplace("q=" + URLEncoder.encode(unique, StandardCharsets.UTF_8), merchant.owner)
                .jsonPath("$.total").isEqualTo(0);
        post(merchant.owner, merchant.path("/authorizations"), Map.of("serviceId", isv.serviceId()))
                .expectStatus().isNotFound();
        api.post().uri("/api/v1/admin/services/" + isv.serviceId() + "/approve")
                .headers(h -> h.setBearerAuth(merchant.owner.accessToken()))
                .exchange().expectStatus().isForbidden();
        api.get().uri("/api/v1/admin/services?state=PENDING_APPROVAL&size=100")
                .headers(h -> h.setBearerAuth(admin.accessToken()))
                .exchange().expectStatus().isOk()
                .expectBody().jsonPath("$[*].id").value(hasItem(isv.serviceId()));
        // strangers see nothing of the ISV's services, nor of a merchant's authorizations
        api.get().uri("/api/v1/tenants/" + isv.tenantId() + "/services")
                .headers(h -> h.setBearerAuth(merchant.owner.accessToken()))
                .exchange().expectStatus().isNotFound();
        post(merchant.owner, "/api/v1/tenants/" + isv.tenantId() + "/services", Map.of("type", "DEVELOPMENT",
                "name", "Hijacked", "description", "Not my workspace at all.", "industries", List.of("food.tea-coffee"),
                "scopes", List.of("miniprogram:read"))).expectStatus().isNotFound();
        api.get().uri(merchant.path("/authorizations"))
                .headers(h -> h.setBearerAuth(isv.owner().accessToken()))
                .exchange().expectStatus().isNotFound();
        approve(isv.serviceId());
        JsonNode granted = requestAuthorization(merchant, isv);
        Workspace stranger = Workspace.create(api, keycloak);
        api.get().uri(merchant.path("/authorizations/" + granted.get("id").asString()))
                .headers(h -> h.setBearerAuth(stranger.owner.accessToken()))
                .exchange().expectStatus().isNotFound();
        api.delete().uri(stranger.path("/authorizations/" + granted.get("id").asString()))
                .headers(h -> h.setBearerAuth(stranger.owner.accessToken()))
                .exchange().expectStatus().isNotFound();
        marketplace("q=" + URLEncoder.encode(unique, StandardCharsets.UTF_8) + "&type=DEVELOPMENT&industry=food.tea-coffee",
                merchant.owner)
                .jsonPath("$.total").isEqualTo(1)
                .jsonPath("$.items[0].state").isEqualTo("APPROVED");
        marketplace("q=" + URLEncoder.encode(unique, StandardCharsets.UTF_8) + "&type=TEMPLATE", merchant.owner)
                .jsonPath("$.total").isEqualTo(0);
        api.post().uri("/api/v1/admin/services/" + isv.serviceId() + "/approve")
                .headers(h -> h.setBearerAuth(admin.accessToken()))
                .exchange().expectStatus().isEqualTo(409);
    }

    @Test
    void webhookSecretRotationSignsWithBothSecretsDuringTheOverlap() {
        Isv isv = onboardIsv(List.of("miniprogram:read"));
        JsonNode rotated = put(isv.owner(), "/api/v1/tenants/" + isv.tenantId() + "/isv-application",
                Map.of("name", isv.name(), "redirectUris", List.of(receiver.url("/callback")),
                        "webhookUrl", receiver.url("/hooks"), "rotateWebhookSecret", true, "rotateClientSecret", true))
                .expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        String newSecret = rotated.get("webhookSecret").asString();
        assertThat(newSecret).startsWith("whsec_").isNotEqualTo(isv.webhookSecret());
        assertThat(rotated.get("clientSecret").asString()).isNotEqualTo(isv.clientSecret());

        receiver.failNext(1);
        Workspace merchant = Workspace.create(api, keycloak);
        JsonNode authorization = requestAuthorization(merchant, isv);
        String id = authorization.get("id").asString();
        WebhookReceiver.Received first = receiver.await(each -> each.body().contains(id), WEBHOOK_WAIT);
        WebhookReceiver.Received retried = receiver.await(each -> each.body().contains(id) && each != first, WEBHOOK_WAIT);
        // at-least-once with the same webhook-id after a failed attempt
        assertThat(retried.header("webhook-id")).isEqualTo(first.header("webhook-id"));
        // each attempt is a trace of its own, whose W3C trace context the receiver gets to continue
        String traceContext = "00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]";
        assertThat(first.header("traceparent")).matches(traceContext);
        assertThat(retried.header("traceparent")).matches(traceContext)
                .isNotEqualTo(first.header("traceparent"));
        assertThat(validSignature(retried, newSecret)).isTrue();
        assertThat(validSignature(retried, isv.webhookSecret())).isTrue();

        // replay from the delivery log sends it once more, same webhook-id; nobody else may replay it
        String deliveryId = retried.header("webhook-id");
        api.post().uri("/api/v1/tenants/" + isv.tenantId() + "/webhook-deliveries/" + deliveryId + "/replay")
                .headers(h -> h.setBearerAuth(merchant.owner.accessToken()))
                .exchange().expectStatus().isNotFound();
        api.post().uri("/api/v1/tenants/" + isv.tenantId() + "/webhook-deliveries/" + deliveryId + "/replay")
                .headers(h -> h.setBearerAuth(isv.owner().accessToken()))
                .exchange().expectStatus().isAccepted();
        receiver.await(each -> deliveryId.equals(each.header("webhook-id")) && each != first && each != retried, WEBHOOK_WAIT);
    }

    @Test
    void aChangeThatRollsBackSendsNoWebhookWhileACommittedOneArrives() {
        Isv isv = onboardIsv(List.of("miniprogram:read"));
        UUID merchantId = UUID.fromString(Workspace.create(api, keycloak).tenantId);
        String rolledBack = "rolled-back-" + UUID.randomUUID();
        String committed = "committed-" + UUID.randomUUID();
        Mono<Void> failing = outbox.append(merchantId, "authorization.granted",
                        Map.of("isvTenantId", isv.tenantId(), "marker", rolledBack))
                .then(Mono.error(new IllegalStateException("the change fails after its event was written")));
        StepVerifier.create(transactions.inTransaction(failing).contextWrite(TenantContext.forTenant(merchantId, null)))
                .verifyError(IllegalStateException.class);
        StepVerifier.create(transactions.inTransaction(outbox.append(merchantId, "authorization.granted",
                                Map.of("isvTenantId", isv.tenantId(), "marker", committed)))
                        .contextWrite(TenantContext.forTenant(merchantId, null)))
                .verifyComplete();

        WebhookReceiver.Received delivered = receiver.await(each -> each.body().contains(committed), WEBHOOK_WAIT);
        assertThat(validSignature(delivered, isv.webhookSecret())).isTrue();
        assertThat(receiver.received()).noneMatch(each -> each.body().contains(rolledBack));
    }

    /**
     * Consent counts however fast it is: a merchant owner with a live Keycloak session (as a browser has) consents to
     * one request after another, each completed within the second of its request, and each activates. Each consent
     * page names its own workspace, and each token activates its own request only.
     */
    @Test
    void consentsCompletedWithinTheSecondOfTheirRequestAllActivate() {
        Isv isv = onboardIsv(List.of("miniprogram:read"));
        Workspace first = Workspace.create(api, keycloak);
        List<Workspace> workspaces = List.of(first, sameOwner(first, "Second House"), sameOwner(first, "Third House"));
        Map<Workspace, String> names = Map.of(first, "Tea House " + first.owner.username(),
                workspaces.get(1), "Second House " + first.owner.username(), workspaces.get(2), "Third House " + first.owner.username());
        KeycloakBrowser browser = new KeycloakBrowser();
        // logged in once, as a person would be; the consents below need only the consent page
        JsonNode warmUp = requestAuthorization(first, onboardIsv(List.of("miniprogram:read")));
        browser.consent(warmUp.get("authorizeUrl").asString(), first.owner.username(), first.owner.password(), true);

        List<String> ids = new java.util.ArrayList<>();
        List<Tokens> tokens = new java.util.ArrayList<>();
        int sameSecond = 0;
        for (Workspace workspace : workspaces) {
            awaitNextSecond();
            JsonNode requested = requestAuthorization(workspace, isv);
            String id = requested.get("id").asString();
            int pagesBefore = browser.pages().size();
            Tokens consented = quickConsent(browser, isv, workspace, requested.get("authorizeUrl").asString(), id);
            String page = browser.pages().subList(pagesBefore, browser.pages().size()).stream()
                    .filter(each -> each.contains("name=\"accept\"")).findFirst().orElseThrow();
            assertThat(page).contains("on behalf of the merchant workspace " + names.get(workspace));
            workspaces.stream().filter(other -> other != workspace)
                    .forEach(other -> assertThat(page).doesNotContain(names.get(other)));
            Instant requestedAt = Instant.parse(requested.get("requestedAt").asString());
            long issuedAt = ((Number) claims(consented.access()).get("iat")).longValue();
            if (issuedAt == requestedAt.getEpochSecond()) {
                sameSecond++;
            }
            assertThat(claims(consented.access()).get("nonce")).isEqualTo(id);
            ids.add(id);
            tokens.add(consented);
        }
        // the case that never activated before: at least one consent within its request's second
        assertThat(sameSecond).isPositive();

        for (int i = workspaces.size() - 1; i >= 0; i--) {
            Workspace workspace = workspaces.get(i);
            String token = tokens.get(i).access();
            // another workspace's token is refused there and activates nothing there
            workspaces.stream().filter(other -> other != workspace).forEach(other ->
                    api.get().uri(other.path("/mini-programs")).headers(h -> h.setBearerAuth(token))
                            .exchange().expectStatus().isNotFound());
            api.get().uri(workspace.path("/mini-programs")).headers(h -> h.setBearerAuth(token))
                    .exchange().expectStatus().isOk();
            for (int j = 0; j < workspaces.size(); j++) {
                assertThat(authorizationOf(workspaces.get(j), ids.get(j)).get("state").asString())
                        .isEqualTo(j >= i ? "ACTIVE" : "PENDING_CONSENT");
            }
        }
    }

    /**
     * Two requests of one merchant, both consented: each token activates the request whose consent produced it, not
     * the newest pending one, also once another authorization of the ISV is ACTIVE; and a refreshed token still names
     * its own request.
     */
    @Test
    void aTokenOfOneConsentNeverActivatesAnotherRequest() {
        Isv isv = onboardIsv(List.of("miniprogram:read"));
        String writeService = addService(isv, List.of("miniprogram:read", "miniprogram:write"));
        Workspace merchant = Workspace.create(api, keycloak);
        JsonNode readRequest = requestAuthorization(merchant, isv);
        JsonNode writeRequest = post(merchant.owner, merchant.path("/authorizations"), Map.of("serviceId", writeService))
                .expectStatus().isCreated()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        String readId = readRequest.get("id").asString();
        String writeId = writeRequest.get("id").asString();
        KeycloakBrowser browser = new KeycloakBrowser();

        // consent to the older request, after the newer one exists: its token activates the older one only
        Tokens read = consentAndExchange(browser, isv, merchant.owner, readRequest.get("authorizeUrl").asString(), readId);
        api.get().uri(merchant.path("/mini-programs")).headers(h -> h.setBearerAuth(read.access()))
                .exchange().expectStatus().isOk();
        assertThat(authorizationOf(merchant, readId).get("state").asString()).isEqualTo("ACTIVE");
        assertThat(authorizationOf(merchant, writeId).get("state").asString()).isEqualTo("PENDING_CONSENT");
        api.post().uri(merchant.path("/mini-programs")).headers(h -> h.setBearerAuth(read.access()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Workspace.validMiniProgram("Not Consented Tea"))
                .exchange()
                .expectStatus().isForbidden();

        // the newer request's own consent activates it, though the ISV already holds an ACTIVE authorization here
        Tokens write = consentAndExchange(browser, isv, merchant.owner, writeRequest.get("authorizeUrl").asString(), writeId);
        api.post().uri(merchant.path("/mini-programs")).headers(h -> h.setBearerAuth(write.access()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Workspace.validMiniProgram("Consented Tea"))
                .exchange()
                .expectStatus().isCreated();
        assertThat(authorizationOf(merchant, writeId).get("state").asString()).isEqualTo("ACTIVE");

        // refreshed after the second consent (same Keycloak session), the first token still names the first request
        HttpResponse<String> refreshed = tokenRequest(Map.of("grant_type", "refresh_token", "refresh_token", read.refresh(),
                "client_id", isv.clientId(), "client_secret", isv.clientSecret()));
        assertThat(refreshed.statusCode()).as(refreshed.body()).isEqualTo(200);
        assertThat(claims(JSON.readTree(refreshed.body()).get("access_token").asString()).get("nonce")).isEqualTo(readId);
    }

    /** The consent page says, scope by scope, what the ISV will be allowed to do. */
    @Test
    void theConsentPageSaysWhatEachScopeAllows() {
        List<String> all = Arrays.stream(DelegationScope.values()).map(DelegationScope::scope).toList();
        Isv isv = onboardIsv(all);
        Workspace merchant = Workspace.create(api, keycloak);
        JsonNode requested = requestAuthorization(merchant, isv);
        KeycloakBrowser browser = new KeycloakBrowser();
        consentAndExchange(browser, isv, merchant.owner, requested.get("authorizeUrl").asString(),
                requested.get("id").asString());
        String consentPage = browser.pages().stream().filter(page -> page.contains("name=\"accept\"")).findFirst()
                .orElseThrow().replace("&#39;", "'");
        for (DelegationScope scope : DelegationScope.values()) {
            assertThat(consentPage).contains(scope.consentText());
        }
        // only the release scope speaks of putting anything live; the others say they do not
        assertThat(DelegationScope.TEMPLATE_APPLY.consentText()).contains("not release");
        assertThat(DelegationScope.MINIPROGRAM_WRITE.consentText()).contains("not release");
        assertThat(DelegationScope.MINIPROGRAM_RELEASE.consentText()).contains("live").contains("roll back");
    }

    /**
     * Two API nodes on one database and one Redis, node 2 a process of its own: a grant cached in node 2's memory is
     * dropped there by pub/sub when the merchant revokes on node 1; and a webhook that node 2 was sending when it was
     * killed (SIGKILL, its receiver still busy with the request) is sent again by node 1 once node 2's lease ends,
     * with the same webhook-id: no event is lost with the process that held it.
     */
    @Test
    void revocationReachesEveryNodeAndAWebhookInFlightOnAKilledNodeIsSentAgain() throws Exception {
        relay.stop();
        try (WebhookReceiver slow = WebhookReceiver.start();
             NodeProcess node2 = NodeProcess.start(secondNode(), Duration.ofSeconds(180))) {
            relay.start();
            WebTestClient api2 = WebTestClient.bindToServer()
                    .baseUrl(node2.baseUrl())
                    .responseTimeout(Duration.ofSeconds(30))
                    .build();
            Isv isv = onboardIsv(List.of("miniprogram:read"));
            Workspace merchant = Workspace.create(api, keycloak);
            String appId = merchant.createMiniProgram(merchant.owner, "Two Node Tea");
            JsonNode authorization = requestAuthorization(merchant, isv);
            String authorizationId = authorization.get("id").asString();
            Tokens tokens = consentAndExchange(new KeycloakBrowser(), isv, merchant.owner,
                    authorization.get("authorizeUrl").asString(), authorizationId);
            for (int i = 0; i < 3; i++) {
                api2.get().uri(merchant.path("/mini-programs/" + appId)).headers(h -> h.setBearerAuth(tokens.access()))
                        .exchange().expectStatus().isOk();
            }

            // from now on only node 2 sends webhooks, to a receiver that takes the next request and never answers
            relay.stop();
            put(isv.owner(), "/api/v1/tenants/" + isv.tenantId() + "/isv-application",
                    Map.of("name", isv.name(), "redirectUris", List.of(receiver.url("/callback")), "webhookUrl", slow.url("/hooks")))
                    .expectStatus().isOk();
            // the revocation's webhook is the one in flight; the grant's may still be on its way and is answered
            slow.hangFirst(body -> body.contains("authorization.revoked") && body.contains(authorizationId));

            api.delete().uri(merchant.path("/authorizations/" + authorizationId))
                    .headers(h -> h.setBearerAuth(merchant.owner.accessToken()))
                    .exchange()
                    .expectStatus().isNoContent();
            api.get().uri(merchant.path("/mini-programs/" + appId)).headers(h -> h.setBearerAuth(tokens.access()))
                    .exchange().expectStatus().isNotFound();
            // node 2 keeps grants in memory for 30 s; pub/sub drops it there within moments
            awaitStatus(api2, merchant.path("/mini-programs/" + appId), tokens.access(), 404, Duration.ofSeconds(2));

            WebhookReceiver.Received inFlight = slow.await(each -> each.body().contains("authorization.revoked")
                    && each.body().contains(authorizationId), WEBHOOK_WAIT);
            node2.kill();
            relay.start();
            WebhookReceiver.Received again = slow.await(each -> each != inFlight
                    && each.body().contains("authorization.revoked") && each.body().contains(authorizationId), Duration.ofSeconds(60));
            assertThat(again.header("webhook-id")).isEqualTo(inFlight.header("webhook-id"));
            assertThat(again.body()).isEqualTo(inFlight.body());
            assertThat(validSignature(again, isv.webhookSecret())).isTrue();
        } finally {
            if (!relay.isRunning()) {
                relay.start();
            }
        }
    }

    /** Node 2's settings: this node's services, short grant caching and delivery leases. */
    private Map<String, Object> secondNode() {
        Map<String, Object> shared = new java.util.HashMap<>();
        for (String key : List.of("spring.r2dbc.url", "spring.r2dbc.username", "spring.r2dbc.password", "spring.flyway.url",
                "spring.flyway.user", "spring.flyway.password", "spring.flyway.placeholders.app_role",
                "spring.data.redis.host", "spring.data.redis.port", "spring.mail.host", "spring.mail.port",
                "platform.keycloak.url")) {
            String value = environment.getProperty(key);
            if (value != null) {
                shared.put(key, value);
            }
        }
        shared.put("platform.isv.grant-cache-ttl", "30s");
        shared.put("platform.isv.delivery-lease", "3s");
        shared.put("platform.isv.delivery-timeout", "60s");
        return shared;
    }

    private static void awaitStatus(WebTestClient client, String path, String token, int status, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        int last = -1;
        while (Instant.now().isBefore(deadline)) {
            last = client.get().uri(path).headers(h -> h.setBearerAuth(token)).exchange()
                    .returnResult(String.class).getStatus().value();
            if (last == status) {
                return;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        throw new AssertionError("expected " + status + " within " + timeout + ", last answer " + last);
    }

    // ----------------------------------------------------------------------------------------------------------

    private Isv onboardIsv(List<String> scopes) {
        return onboardIsv(scopes, true);
    }

    private Isv onboardIsv(List<String> scopes, boolean approved) {
        TestUser owner = keycloak.newUser("isv-owner");
        String name = "Acme ISV " + UUID.randomUUID().toString().substring(0, 8);
        String tenantId = createTenant(owner, "ISV", name);
        JsonNode application = put(owner, "/api/v1/tenants/" + tenantId + "/isv-application",
                Map.of("name", name, "redirectUris", List.of(receiver.url("/callback")), "webhookUrl", receiver.url("/hooks")))
                .expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        assertThat(application.get("clientId").asString()).isEqualTo("isv-" + tenantId);
        assertThat(application.get("webhookSecret").asString()).startsWith("whsec_");
        JsonNode service = post(owner, "/api/v1/tenants/" + tenantId + "/services",
                Map.of("type", "DEVELOPMENT", "name", name + " dev", "description", "We build your mini program for you.",
                        "industries", List.of("food.tea-coffee"), "scopes", scopes))
                .expectStatus().isCreated()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        assertThat(service.get("state").asString()).isEqualTo("PENDING_APPROVAL");
        String serviceId = service.get("id").asString();
        if (approved) {
            approve(serviceId);
        }
        return new Isv(owner, tenantId, application.get("clientId").asString(),
                application.get("clientSecret").asString(), application.get("webhookSecret").asString(), serviceId, name);
    }

    /** Another approved service of the ISV, with other scopes. */
    private String addService(Isv isv, List<String> scopes) {
        String serviceId = post(isv.owner(), "/api/v1/tenants/" + isv.tenantId() + "/services",
                Map.of("type", "DEVELOPMENT", "name", isv.name() + " more", "description", "We also change your mini program.",
                        "industries", List.of("food.tea-coffee"), "scopes", scopes))
                .expectStatus().isCreated()
                .expectBody(JsonNode.class).returnResult().getResponseBody().get("id").asString();
        approve(serviceId);
        return serviceId;
    }

    /** Another merchant workspace of the same owner. */
    private Workspace sameOwner(Workspace workspace, String name) {
        String tenantId = createTenant(workspace.owner, "MERCHANT", name + " " + workspace.owner.username());
        return Workspace.existing(api, keycloak, workspace.owner, tenantId);
    }

    private void approve(String serviceId) {
        api.post().uri("/api/v1/admin/services/" + serviceId + "/approve")
                .headers(h -> h.setBearerAuth(admin.accessToken()))
                .exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.state").isEqualTo("APPROVED");
    }

    private JsonNode requestAuthorization(Workspace merchant, Isv isv) {
        return post(merchant.owner, merchant.path("/authorizations"), Map.of("serviceId", isv.serviceId()))
                .expectStatus().isCreated()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
    }

    private JsonNode authorizationOf(Workspace merchant, String id) {
        return api.get().uri(merchant.path("/authorizations/" + id))
                .headers(h -> h.setBearerAuth(merchant.owner.accessToken()))
                .exchange()
                .expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
    }

    /** The merchant user logs in and consents; the ISV redeems the code with its secret and the PKCE verifier. */
    private Tokens consentAndExchange(KeycloakBrowser browser, Isv isv, TestUser user, String authorizeUrl,
                                      String authorizationId) {
        URI back = browser.consent(authorizeUrl, user.username(), user.password(), true);
        Map<String, String> query = UriComponentsBuilder.fromUri(back).build().getQueryParams().toSingleValueMap();
        assertThat(back.toString()).startsWith(receiver.url("/callback"));
        assertThat(query.get("state")).isEqualTo(authorizationId);
        String verifier = data(awaitWebhook(isv, "authorization.requested", authorizationId)).get("codeVerifier").asString();
        HttpResponse<String> exchanged = tokenRequest(Map.of("grant_type", "authorization_code", "code", query.get("code"),
                "redirect_uri", receiver.url("/callback"), "client_id", isv.clientId(), "client_secret", isv.clientSecret(),
                "code_verifier", verifier));
        assertThat(exchanged.statusCode()).as(exchanged.body()).isEqualTo(200);
        JsonNode body = JSON.readTree(exchanged.body());
        return new Tokens(body.get("access_token").asString(), body.get("refresh_token").asString());
    }

    /**
     * Like {@link #consentAndExchange}, as fast as an ISV that already holds the verifier: read from the committed
     * {@code authorization.requested} event rather than awaited from the relay (which polls every 500 ms).
     */
    private Tokens quickConsent(KeycloakBrowser browser, Isv isv, Workspace merchant, String authorizeUrl,
                                String authorizationId) {
        String verifier = transactions.inTransaction(database.sql("""
                                select (payload::jsonb)->>'codeVerifier' as verifier from outbox_events
                                where type = 'authorization.requested' and (payload::jsonb)->>'authorizationId' = $1""")
                        .bind(0, authorizationId)
                        .map(row -> row.get("verifier", String.class))
                        .one())
                .contextWrite(TenantContext.forTenant(UUID.fromString(merchant.tenantId), null))
                .block(Duration.ofSeconds(10));
        URI back = browser.consent(authorizeUrl, merchant.owner.username(), merchant.owner.password(), true);
        Map<String, String> query = UriComponentsBuilder.fromUri(back).build().getQueryParams().toSingleValueMap();
        assertThat(query.get("state")).isEqualTo(authorizationId);
        HttpResponse<String> exchanged = tokenRequest(Map.of("grant_type", "authorization_code", "code", query.get("code"),
                "redirect_uri", receiver.url("/callback"), "client_id", isv.clientId(), "client_secret", isv.clientSecret(),
                "code_verifier", verifier));
        assertThat(exchanged.statusCode()).as(exchanged.body()).isEqualTo(200);
        JsonNode body = JSON.readTree(exchanged.body());
        return new Tokens(body.get("access_token").asString(), body.get("refresh_token").asString());
    }

    private WebhookReceiver.Received awaitWebhook(Isv isv, String type, String mentioning) {
        return receiver.await(each -> each.body().contains("\"type\":\"" + type + "\"") && each.body().contains(mentioning)
                && validSignature(each, isv.webhookSecret()), WEBHOOK_WAIT);
    }

    private static JsonNode data(WebhookReceiver.Received received) {
        return JSON.readTree(received.body()).get("data");
    }

    /** Standard Webhooks verification, written from the spec, not with the platform's signer. */
    static boolean validSignature(WebhookReceiver.Received received, String secret) {
        String id = received.header("webhook-id");
        String timestamp = received.header("webhook-timestamp");
        String signatures = received.header("webhook-signature");
        if (id == null || timestamp == null || signatures == null) {
            return false;
        }
        if (Math.abs(Instant.now().getEpochSecond() - Long.parseLong(timestamp)) > 300) {
            return false;
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
            String expected = Base64.getEncoder().encodeToString(
                    mac.doFinal((id + "." + timestamp + "." + received.body()).getBytes(StandardCharsets.UTF_8)));
            return Arrays.stream(signatures.split(" ")).anyMatch(each -> each.equals("v1," + expected));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private HttpResponse<String> tokenRequest(Map<String, String> form) {
        String body = form.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(keycloakProperties.issuer() + "/protocol/openid-connect/token"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> claims(String jwt) {
        String payload = new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), StandardCharsets.UTF_8);
        return JSON.readValue(payload, Map.class);
    }

    private String createTenant(TestUser owner, String kind, String name) {
        return post(owner, "/api/v1/tenants", Map.of("kind", kind, "name", name))
                .expectStatus().isCreated()
                .expectBody(JsonNode.class).returnResult().getResponseBody().get("id").asString();
    }

    private WebTestClient.BodyContentSpec marketplace(String query, TestUser as) {
        return api.get().uri("/api/v1/marketplace/services?" + query)
                .headers(h -> h.setBearerAuth(as.accessToken()))
                .exchange()
                .expectStatus().isOk()
                .expectBody();
    }

    private WebTestClient.ResponseSpec upload(Workspace merchant, String token, String appId, String version) {
        MultipartBodyBuilder parts = new MultipartBodyBuilder();
        parts.part("version", version);
        parts.part("description", "Built by the ISV");
        parts.part("package", new ByteArrayResource(CodePackagesForTests.valid()) {
            @Override
            public String getFilename() {
                return "package.zip";
            }
        });
        return api.post().uri(merchant.path("/mini-programs/" + appId + "/versions"))
                .headers(h -> h.setBearerAuth(token))
                .contentType(MediaType.MULTIPART_FORM_DATA)
                .body(BodyInserters.fromMultipartData(parts.build()))
                .exchange();
    }

    private WebTestClient.ResponseSpec post(TestUser as, String path, Object body) {
        return api.post().uri(path)
                .headers(h -> h.setBearerAuth(as.accessToken()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body)
                .exchange();
    }

    private WebTestClient.ResponseSpec put(TestUser as, String path, Object body) {
        return api.put().uri(path)
                .headers(h -> h.setBearerAuth(as.accessToken()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body)
                .exchange();
    }

    private static void awaitNextSecond() {
        Instant next = Instant.now().truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
        try {
            Thread.sleep(Math.max(0, Duration.between(Instant.now(), next).toMillis() + 5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
