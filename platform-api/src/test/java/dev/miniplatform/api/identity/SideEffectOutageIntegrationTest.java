package dev.miniplatform.api.identity;

import dev.miniplatform.api.support.IntegrationTest;
import dev.miniplatform.api.support.KeycloakUsers.TestUser;
import dev.miniplatform.api.support.SwitchableProxy;
import dev.miniplatform.api.support.SwitchableProxy.Mode;
import dev.miniplatform.api.support.Workspace;
import dev.miniplatform.auth.config.KeycloakProperties;
import dev.miniplatform.devservices.MailCatcher;
import dev.miniplatform.infra.transaction.TenantContext;
import dev.miniplatform.infra.transaction.TenantTransactions;
import dev.miniplatform.model.tenancy.MemberRole;
import dev.miniplatform.model.tenancy.Membership;
import dev.miniplatform.model.tenancy.MembershipRepository;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.PropertySource;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Flux;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Keycloak and the SMTP server going away and coming back, with the real services behind loopback proxies that the
 * test cuts ({@link SwitchableProxy}): the admin client and the mailer of this context talk through them, while token
 * validation still reaches Keycloak directly (issued tokens stay valid, as they would in production).
 * <ul>
 *   <li>a call that needs Keycloak to answer (sign-up) gets 503 + Retry-After and leaves nothing behind;</li>
 *   <li>changes whose Keycloak side is queued (acceptance, role change) commit at once and reach Keycloak when it is
 *       back; a refused invitation mail arrives when the SMTP server is back;</li>
 *   <li>an invitation whose transaction fails at commit sends no mail;</li>
 *   <li>a hanging Keycloak holds no database connection: 30 requests wait on it while DB-only requests stay fast;</li>
 *   <li>once the breaker is open, a hanging Keycloak costs nothing: 503 at once.</li>
 * </ul>
 */
class SideEffectOutageIntegrationTest extends IntegrationTest {

    private static final SwitchableProxy KEYCLOAK = SwitchableProxy.toLater();
    private static final SwitchableProxy SMTP = SwitchableProxy.toLater();

    @DynamicPropertySource
    static void throughProxies(DynamicPropertyRegistry registry) {
        registry.add("platform.keycloak.admin.url", () -> "http://127.0.0.1:" + KEYCLOAK.port());
        registry.add("platform.keycloak.admin.connect-timeout", () -> "1s");
        // long enough for a saturated test machine; a hanging Keycloak then holds each call for 10 s
        registry.add("platform.keycloak.admin.read-timeout", () -> "10s");
        // the breaker must not hide the pool test's hanging calls: it opens only after 40 failures here
        registry.add("platform.keycloak.admin.breaker.window", () -> "50");
        registry.add("platform.keycloak.admin.breaker.minimum-calls", () -> "40");
        registry.add("platform.keycloak.admin.breaker.open-for", () -> "5s");
        registry.add("platform.keycloak.admin.breaker.probe-calls", () -> "1");
        registry.add("spring.mail.port", SMTP::port);
        registry.add("spring.mail.properties[mail.smtp.connectiontimeout]", () -> "1000");
        registry.add("spring.mail.properties[mail.smtp.timeout]", () -> "1500");
        registry.add("platform.effects.poll-interval", () -> "300ms");
        registry.add("platform.effects.first-retry", () -> "200ms");
        registry.add("platform.effects.max-retry", () -> "1s");
        registry.add("platform.effects.lease", () -> "20s");
        // longer than the read timeout: a request then waits out its hanging first attempt, so if that attempt held a
        // database connection, it would hold it for the whole 10 s (the pool test would see it)
        registry.add("platform.effects.inline-wait", () -> "15s");
        registry.add("platform.effects.relay-enabled", () -> "true");
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @LocalServerPort
    int serverPort;

    @Autowired
    KeycloakProperties keycloakProperties;

    @Autowired
    ConfigurableEnvironment environment;

    @Autowired
    TenantTransactions transactions;

    @Autowired
    DatabaseClient database;

    @Autowired
    MembershipRepository memberships;

    @BeforeEach
    void pointProxiesAtTheRealServices() {
        KEYCLOAK.target(URI.create(keycloakProperties.url()).getPort());
        SMTP.target(Integer.parseInt(devServiceProperty("spring.mail.port")));
    }

    @AfterEach
    void everythingBackAndTheBreakerClosed() {
        KEYCLOAK.set(Mode.PASS);
        SMTP.set(Mode.PASS);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .until(() -> keycloakAdmin().call(realm -> realm.toRepresentation().getRealm()).block(Duration.ofSeconds(5)) != null);
    }

    @AfterAll
    static void closeProxies() {
        KEYCLOAK.close();
        SMTP.close();
    }

    @Test
    void whileKeycloakIsDownSignUpAnswers503WithRetryAfterAndLeavesNothingBehind() {
        TestUser owner = keycloak.newUser("signup");
        KEYCLOAK.set(Mode.REFUSE);

        signUp(owner)
                .expectStatus().isEqualTo(503)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectHeader().value("Retry-After", seconds -> assertThat(Long.parseLong(seconds)).isPositive())
                .expectBody().jsonPath("$.type").isEqualTo("urn:mini-program-platform:problem:upstream-unavailable");
        myWorkspaces(owner).expectBody().json("[]");

        KEYCLOAK.set(Mode.PASS);
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500))
                .until(() -> signUp(owner).returnResult(String.class).getStatus().value() == 201);
        myWorkspaces(owner).expectBody().jsonPath("$.length()").isEqualTo(1);
    }

    @Test
    void anInvitationAcceptedAndARoleChangedWhileKeycloakIsDownReachKeycloakWhenItReturns() {
        Workspace workspace = Workspace.create(api, keycloak);
        String appId = workspace.createMiniProgram(workspace.owner, "Outage Tea");
        Workspace.Invitee invitee = workspace.invite("DEVELOPER", List.of(appId));
        TestUser developer = workspace.join("MASTER", List.of());
        KEYCLOAK.set(Mode.REFUSE);

        acceptInvitation(invitee).expectStatus().isOk();
        patchMember(workspace, developer, Map.of("role", "DEVELOPER", "miniPrograms", List.of(appId))).expectStatus().isOk();
        // the database decides access, so both apply at once
        api.get().uri(workspace.path("/mini-programs/" + appId))
                .headers(h -> h.setBearerAuth(invitee.user().accessToken()))
                .exchange()
                .expectStatus().isOk();
        assertThat(queuedKeys(workspace)).contains("member:" + invitee.user().id(), "member:" + developer.id());
        assertThat(groupsOf(keycloak.login(invitee.user()))).doesNotContain(group(workspace, "DEVELOPER"));

        KEYCLOAK.set(Mode.PASS);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> assertThat(queuedKeys(workspace)).isEmpty());
        assertThat(groupsOf(keycloak.login(invitee.user()))).contains(group(workspace, "DEVELOPER"));
        assertThat(groupsOf(keycloak.login(developer))).contains(group(workspace, "DEVELOPER"))
                .doesNotContain(group(workspace, "MASTER"));
    }

    @Test
    void anInvitationMailTheSmtpServerRefusedArrivesWhenItIsBack() {
        Workspace workspace = Workspace.create(api, keycloak);
        String email = "later-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        SMTP.set(Mode.REFUSE);

        invite(workspace, email, "Late Mail").expectStatus().isCreated();
        assertThat(mailsTo(email)).isEmpty();
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(lastErrors(workspace)).anySatisfy(error -> assertThat(error).isNotBlank()));
        // the queued mail (it carries the link) is the tenant's alone: row-level security, and no DELETE for the app
        assertThat(queuedKeysAs(UUID.randomUUID())).isEmpty();
        assertThat(queuedKeysAs(null)).isEmpty();
        assertThatThrownBy(() -> transactions.inTransaction(database.sql("delete from pending_effects").fetch().rowsUpdated())
                .contextWrite(TenantContext.forTenant(UUID.fromString(workspace.tenantId), null))
                .block(Duration.ofSeconds(10)))
                .hasStackTraceContaining("permission denied");

        SMTP.set(Mode.PASS);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300))
                .untilAsserted(() -> assertThat(mailsTo(email)).hasSize(1));
        assertThat(Workspace.latestInvitationToken(email)).startsWith(workspace.tenantId + ".");
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(queuedKeys(workspace)).isEmpty());
    }

    @Test
    void anInvitationWhoseTransactionFailsAtCommitSendsNoMail() throws Exception {
        Workspace workspace = Workspace.create(api, keycloak);
        String email = "rolled-back-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        // a deferred check runs at COMMIT, after the mail was queued in the same transaction
        asSchemaOwner("""
                create or replace function test_refuse_commit() returns trigger language plpgsql as $$
                begin
                    if new.name = 'Rollback Please' then raise exception 'commit refused by the test'; end if;
                    return new;
                end $$;
                create constraint trigger test_refuse_commit after insert on invitations
                    deferrable initially deferred for each row execute function test_refuse_commit();
                """);
        try {
            WebTestClient.ResponseSpec refused = invite(workspace, email, "Rollback Please");
            assertThat(refused.returnResult(String.class).getStatus().is5xxServerError()).isTrue();
        } finally {
            asSchemaOwner("drop trigger test_refuse_commit on invitations; drop function test_refuse_commit();");
        }

        // several relay rounds later: no mail, nothing queued, no invitation
        Thread.sleep(1500);
        assertThat(mailsTo(email)).isEmpty();
        assertThat(queuedKeys(workspace)).isEmpty();
        api.get().uri(workspace.path("/invitations"))
                .headers(h -> h.setBearerAuth(workspace.owner.accessToken()))
                .exchange()
                .expectBody().jsonPath("$.length()").isEqualTo(0);
        // and the same invitation without the failure goes out
        invite(workspace, email, "Commit Please").expectStatus().isCreated();
        // sent after the commit, on its own: a loaded machine may take a moment
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300))
                .untilAsserted(() -> assertThat(mailsTo(email)).hasSize(1));
    }

    @Test
    void whileKeycloakHangsThirtyWaitingRequestsHoldNoDatabaseConnection() throws Exception {
        Workspace workspace = Workspace.create(api, keycloak);
        List<String> members = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            members.add(addMasterDirectly(workspace, "hang-" + i + "-" + UUID.randomUUID()));
        }
        // one change first, while Keycloak answers: this context's JSON codecs build their caches under a lock, which
        // thirty first requests at once would contend for on the event loop (BlockHound)
        patchMemberById(workspace, addMasterDirectly(workspace, "warm-" + UUID.randomUUID()), Map.of("status", "BLOCKED"))
                .expectStatus().isOk();
        KEYCLOAK.set(Mode.HANG);

        ExecutorService clients = Executors.newFixedThreadPool(30);
        try {
            warmUpThePool(workspace, clients);
            // a client of its own with a connection per request: the test client's pool (16) would queue requests
            List<CompletableFuture<Duration>> blocks = members.stream()
                    .map(userId -> CompletableFuture.supplyAsync(() -> timed(() -> assertThat(send(HttpRequest.newBuilder(
                                    URI.create(baseUrl() + workspace.path("/members/" + userId)))
                            .header("Authorization", "Bearer " + workspace.owner.accessToken())
                            .header("Content-Type", "application/json")
                            .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"status\": \"BLOCKED\"}"))))
                            .isEqualTo(200)), clients))
                    .toList();
            // by now the 30 changes have committed and their effects wait on Keycloak (read timeout 10 s)
            Thread.sleep(1000);
            // the pool has 20 connections (5 s acquire limit); if waiting on Keycloak held one, these would stall
            List<Duration> dbOnly = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                dbOnly.add(timed(() -> assertThat(send(HttpRequest.newBuilder(URI.create(baseUrl() + workspace.path("/mini-programs")))
                        .header("Authorization", "Bearer " + workspace.owner.accessToken())
                        .GET())).isEqualTo(200)));
            }
            List<Duration> waited = blocks.stream().map(CompletableFuture::join).toList();

            // held connections would make these wait for the 10 s read timeout or fail at the pool's 5 s acquire limit;
            // the bound leaves room for a saturated test machine (measured 0.03-2.4 s there)
            assertThat(dbOnly).allSatisfy(each -> assertThat(each).isLessThan(Duration.ofSeconds(4)));
            // the changes really waited on the hanging Keycloak: at least as many as the bulkhead lets hang at once
            // (platform.keycloak.admin.pool-size, 10) waited for its 10 s read timeout; the others found no free
            // connection within the connect timeout and failed fast into the queue
            assertThat(waited.stream().filter(each -> each.compareTo(Duration.ofSeconds(5)) > 0).count()).isGreaterThanOrEqualTo(10);
            assertThat(waited).allSatisfy(each -> assertThat(each).isLessThan(Duration.ofSeconds(40)));
        } finally {
            clients.shutdownNow();
        }

        KEYCLOAK.set(Mode.PASS);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> assertThat(queuedKeys(workspace)).isEmpty());
    }

    @Test
    void onceTheBreakerIsOpenAHangingKeycloakCostsNoWait() {
        TestUser owner = keycloak.newUser("breaker");
        KEYCLOAK.set(Mode.REFUSE);
        for (int i = 0; i < 45; i++) {
            signUp(owner).expectStatus().isEqualTo(503);
        }
        KEYCLOAK.set(Mode.HANG);

        Duration took = timed(() -> signUp(owner).expectStatus().isEqualTo(503));

        // the read timeout is 1.5 s; an open breaker answers without calling
        assertThat(took).isLessThan(Duration.ofMillis(700));
        myWorkspaces(owner).expectBody().json("[]");
    }

    private int send(HttpRequest.Builder request) {
        try {
            return HTTP.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private String baseUrl() {
        return "http://127.0.0.1:" + serverPort;
    }

    private void listMiniPrograms(Workspace workspace) {
        api.get().uri(workspace.path("/mini-programs"))
                .headers(h -> h.setBearerAuth(workspace.owner.accessToken()))
                .exchange()
                .expectStatus().isOk();
    }

    /** Opens all pooled connections first, so the measurement is not of connection set-up on a busy machine. */
    private void warmUpThePool(Workspace workspace, ExecutorService clients) {
        List<CompletableFuture<Void>> warmUp = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            warmUp.add(CompletableFuture.runAsync(() -> listMiniPrograms(workspace), clients));
        }
        warmUp.forEach(CompletableFuture::join);
    }

    private WebTestClient.ResponseSpec signUp(TestUser owner) {
        return api.post().uri("/api/v1/tenants")
                .headers(h -> h.setBearerAuth(owner.accessToken()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("kind", "MERCHANT", "name", "Outage Tea House"))
                .exchange();
    }

    private WebTestClient.ResponseSpec myWorkspaces(TestUser owner) {
        return api.get().uri("/api/v1/tenants")
                .headers(h -> h.setBearerAuth(owner.accessToken()))
                .exchange()
                .expectStatus().isOk();
    }

    private WebTestClient.ResponseSpec invite(Workspace workspace, String email, String name) {
        return api.post().uri(workspace.path("/invitations"))
                .headers(h -> h.setBearerAuth(workspace.owner.accessToken()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", name, "email", email, "role", "MASTER"))
                .exchange();
    }

    private WebTestClient.ResponseSpec acceptInvitation(Workspace.Invitee invitee) {
        return api.post().uri("/api/v1/invitations/accept")
                .headers(h -> h.setBearerAuth(invitee.user().accessToken()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("token", invitee.token()))
                .exchange();
    }

    private WebTestClient.ResponseSpec patchMember(Workspace workspace, TestUser member, Map<String, Object> patch) {
        return patchMemberById(workspace, member.id(), patch);
    }

    private WebTestClient.ResponseSpec patchMemberById(Workspace workspace, String userId, Map<String, Object> patch) {
        return api.patch().uri(workspace.path("/members/" + userId))
                .headers(h -> h.setBearerAuth(workspace.owner.accessToken()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(patch)
                .exchange();
    }

    /** A member Keycloak has never heard of, written straight into the database (no Keycloak call to set up). */
    private String addMasterDirectly(Workspace workspace, String userId) {
        UUID tenantId = UUID.fromString(workspace.tenantId);
        transactions.inTransaction(memberships.save(Membership.joined(tenantId, userId, MemberRole.MASTER, "Hang Test",
                        userId + "@example.com", Instant.now())))
                .contextWrite(TenantContext.forTenant(tenantId, null))
                .block(Duration.ofSeconds(10));
        return userId;
    }

    private List<String> queuedKeys(Workspace workspace) {
        return inTenant(workspace, "select effect_key as value from pending_effects");
    }

    private List<String> queuedKeysAs(UUID tenantId) {
        Flux<String> keys = transactions.inTransaction(database.sql("select effect_key as value from pending_effects")
                .map(row -> row.get("value", String.class))
                .all());
        return (tenantId == null ? keys : keys.contextWrite(TenantContext.forTenant(tenantId, null)))
                .collectList()
                .block(Duration.ofSeconds(10));
    }

    private List<String> lastErrors(Workspace workspace) {
        return inTenant(workspace, "select coalesce(last_error, '') as value from pending_effects");
    }

    private List<String> inTenant(Workspace workspace, String sql) {
        UUID tenantId = UUID.fromString(workspace.tenantId);
        return transactions.inTransaction(database.sql(sql)
                        .map(row -> row.get("value", String.class))
                        .all())
                .contextWrite(TenantContext.forTenant(tenantId, null))
                .collectList()
                .block(Duration.ofSeconds(10));
    }

    private static List<MimeMessage> mailsTo(String email) {
        return MailCatcher.received().stream()
                .filter(mail -> {
                    try {
                        return mail.getRecipients(Message.RecipientType.TO)[0].toString().equalsIgnoreCase(email);
                    } catch (Exception e) {
                        return false;
                    }
                })
                .toList();
    }

    private void asSchemaOwner(String sql) throws Exception {
        try (Connection connection = DriverManager.getConnection(environment.getProperty("spring.flyway.url"),
                environment.getProperty("spring.flyway.user"), environment.getProperty("spring.flyway.password"));
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    /** The value dev services provided (their property source), under the test's own override. */
    private String devServiceProperty(String name) {
        PropertySource<?> devServices = environment.getPropertySources().get("platform-dev-services");
        if (devServices == null || !devServices.containsProperty(name)) {
            throw new IllegalStateException(name + " is not provided by dev services");
        }
        return String.valueOf(devServices.getProperty(name));
    }

    private static Duration timed(Runnable call) {
        long start = System.nanoTime();
        call.run();
        return Duration.ofNanos(System.nanoTime() - start);
    }

    private static String group(Workspace workspace, String role) {
        return "/tenant-" + workspace.tenantId + "/" + role;
    }

    @SuppressWarnings("unchecked")
    private static List<String> groupsOf(TestUser user) {
        String payload = new String(Base64.getUrlDecoder().decode(user.accessToken().split("\\.")[1]));
        Map<String, Object> claims = JsonMapper.builder().build().readValue(payload, Map.class);
        return (List<String>) claims.getOrDefault("groups", List.of());
    }
}
