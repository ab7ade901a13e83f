package dev.miniplatform.api.miniprogram;

import dev.miniplatform.api.PlatformApplication;
import dev.miniplatform.api.support.IntegrationTest;
import dev.miniplatform.api.support.KeycloakUsers.TestUser;
import dev.miniplatform.api.support.Workspace;
import dev.miniplatform.infra.transaction.SafeRequest;
import dev.miniplatform.infra.transaction.TenantContext;
import dev.miniplatform.infra.transaction.TenantTransactions;
import io.r2dbc.spi.ConnectionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console's one-statement read of a mini program (V11) and its cache (decision 164): same answers as the
 * regular path; every change is seen by the very next read on every node (block or remove through node A, the next
 * read through node B is a 404; a role downgrade applies at once; an edit shows at once) although node B answers
 * repeated reads from memory; and the tenant setting it makes never outlives the statement on a pooled connection.
 */
class ConsoleReadIntegrationTest extends IntegrationTest {

    private static ConfigurableApplicationContext nodeB;

    @Autowired
    private ConnectionFactory connectionFactory;

    @Autowired
    private ReactiveStringRedisTemplate redis;

    @Autowired
    private TenantTransactions transactions;

    @Autowired
    private DatabaseClient database;

    private Workspace workspace;
    private String assigned;
    private String other;
    private WebTestClient b;

    @BeforeEach
    void setUp() {
        workspace = Workspace.create(api, keycloak);
        assigned = workspace.createMiniProgram(workspace.owner, "Assigned Tea");
        other = workspace.createMiniProgram(workspace.owner, "Other Tea");
        b = WebTestClient.bindToServer()
                .baseUrl("http://127.0.0.1:" + secondNode().getWebServer().getPort())
                .responseTimeout(Duration.ofSeconds(30))
                .build();
    }

    @AfterAll
    static void stopSecondNode() {
        if (nodeB != null) {
            nodeB.close();
        }
    }

    /** A second API node in this JVM: same database, Redis and Keycloak (dev services are per JVM). */
    private static synchronized WebServerApplicationContext secondNode() {
        if (nodeB == null) {
            // an argument, not a default property: application.yaml's server.port (8080) wins over those, and
            // 8080 is often taken on a shared machine
            nodeB = new SpringApplicationBuilder(PlatformApplication.class)
                    .profiles("test")
                    .run("--server.port=0");
        }
        return (WebServerApplicationContext) nodeB;
    }

    @Test
    void answersAsTheRegularPathDid() {
        Map<?, ?> created = api.post().uri(workspace.path("/mini-programs"))
                .headers(h -> h.setBearerAuth(workspace.owner.accessToken()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Workspace.validMiniProgram("Same Tea"))
                .exchange()
                .expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody();

        Map<?, ?> read = get(api, workspace.owner, created.get("appId").toString())
                .expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();

        // PostgreSQL keeps microseconds; the create answer carries the clock's nanoseconds
        for (String time : List.of("createdAt", "updatedAt")) {
            Duration drift = Duration.between(Instant.parse(created.get(time).toString()), Instant.parse(read.get(time).toString()));
            assertThat(drift.abs()).isLessThanOrEqualTo(Duration.ofNanos(1_000));
        }
        assertThat(withoutTimes(read)).isEqualTo(withoutTimes(created));
        assertThat(read.get("localizations")).isInstanceOf(Map.class);
        Set<Object> languages = new TreeSet<>(((Map<?, ?>) read.get("localizations")).keySet());
        assertThat(languages).containsExactly("en-US", "zh-CN");
    }

    @Test
    void unknownAppsOtherTenantsAndBadIdsAre404() {
        Workspace stranger = Workspace.create(api, keycloak);
        String theirs = stranger.createMiniProgram(stranger.owner, "Their Tea");

        get(api, workspace.owner, "mpunknownunknownunknow").expectStatus().isNotFound();
        get(api, workspace.owner, theirs).expectStatus().isNotFound();
        get(api, stranger.owner, assigned).expectStatus().isNotFound();
        api.get().uri(workspace.path("/mini-programs/" + assigned).replace(workspace.tenantId, stranger.tenantId))
                .headers(h -> h.setBearerAuth(workspace.owner.accessToken()))
                .exchange()
                .expectStatus().isNotFound();
        api.get().uri("/api/v1/tenants/not-a-uuid/mini-programs/" + assigned)
                .headers(h -> h.setBearerAuth(workspace.owner.accessToken()))
                .exchange()
                .expectStatus().isNotFound();
        api.get().uri(workspace.path("/mini-programs/" + assigned))
                .exchange()
                .expectStatus().isUnauthorized();
    }

    @Test
    void whenBlockedOrRemovedThroughNodeAThenTheNextReadThroughNodeBIs404() {
        TestUser developer = workspace.join("DEVELOPER", List.of(assigned));
        get(b, developer, assigned).expectStatus().isOk();

        patchMember(developer, Map.of("status", "BLOCKED")).expectStatus().isOk();
        get(b, developer, assigned).expectStatus().isNotFound();

        patchMember(developer, Map.of("status", "ACTIVE")).expectStatus().isOk();
        get(b, developer, assigned).expectStatus().isOk();

        api.delete().uri(workspace.path("/members/" + developer.id()))
                .headers(h -> h.setBearerAuth(workspace.owner.accessToken()))
                .exchange()
                .expectStatus().isNoContent();
        get(b, developer, assigned).expectStatus().isNotFound();
        get(api, developer, assigned).expectStatus().isNotFound();
    }

    @Test
    void whenAMasterIsDowngradedToDeveloperThenUnassignedAppsVanishAtOnceOnEveryNode() {
        TestUser master = workspace.join("MASTER", List.of());
        get(b, master, other).expectStatus().isOk();
        get(api, master, other).expectStatus().isOk();

        patchMember(master, Map.of("role", "DEVELOPER", "miniPrograms", List.of(assigned))).expectStatus().isOk();

        get(b, master, other).expectStatus().isNotFound();
        get(api, master, other).expectStatus().isNotFound();
        get(b, master, assigned).expectStatus().isOk();
    }

    @Test
    void whenTheWorkspaceIsClosedThenReadsAre404() {
        get(b, workspace.owner, assigned).expectStatus().isOk();
        api.delete().uri("/api/v1/tenants/" + workspace.tenantId)
                .headers(h -> h.setBearerAuth(workspace.owner.accessToken()))
                .exchange()
                .expectStatus().is2xxSuccessful();
        get(b, workspace.owner, assigned).expectStatus().isNotFound();
    }

    @Test
    void repeatedReadsComeFromMemoryUntilAnEditThroughNodeAWhichTheNextReadThroughNodeBSees() {
        ConsoleReadCache cacheOfB = nodeB.getBean(ConsoleReadCache.class);
        get(b, workspace.owner, assigned).expectStatus().isOk();
        long hits = cacheOfB.hits();
        get(b, workspace.owner, assigned).expectStatus().isOk();
        assertThat(cacheOfB.hits()).as("the second read came from node B's memory").isEqualTo(hits + 1);

        api.put().uri(workspace.path("/mini-programs/" + assigned))
                .headers(h -> h.setBearerAuth(workspace.owner.accessToken()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(renamed("Renamed Tea"))
                .exchange()
                .expectStatus().isOk();

        get(b, workspace.owner, assigned).expectStatus().isOk()
                .expectBody().jsonPath("$.localizations['en-US'].name").isEqualTo("Renamed Tea");
    }

    @Test
    void readsOfATenantWhoseEpochRedisLostAreReadAgainNotServedFromMemory() {
        ConsoleReadCache cacheOfB = nodeB.getBean(ConsoleReadCache.class);
        get(b, workspace.owner, assigned).expectStatus().isOk();
        get(b, workspace.owner, assigned).expectStatus().isOk();
        // Redis restarted empty, and meanwhile the mini program was renamed behind every cache's back (no
        // TenantTransactions, so no new epoch: a change the cache was never told of)
        Mono.usingWhen(Mono.from(connectionFactory.create()),
                        connection -> Mono.from(connection.beginTransaction())
                                .thenMany(connection.createStatement("select set_config('app.tenant_id', $1, true)")
                                        .bind("$1", workspace.tenantId).execute())
                                .flatMap(result -> result.map(row -> row.get(0, String.class)))
                                .thenMany(connection.createStatement("update mini_program_localizations "
                                                + "set name = 'Changed Behind' where app_id = $1 and language = 'en-US'")
                                        .bind("$1", assigned).execute())
                                .flatMap(result -> result.getRowsUpdated())
                                .doOnNext(rows -> assertThat(rows).isEqualTo(1L))
                                .then(Mono.from(connection.commitTransaction())),
                        connection -> connection.close())
                .block(Duration.ofSeconds(10));
        redis.delete(ConsoleReadCache.epochKey(java.util.UUID.fromString(workspace.tenantId))).block(Duration.ofSeconds(5));
        long hits = cacheOfB.hits();

        get(b, workspace.owner, assigned).expectStatus().isOk()
                .expectBody().jsonPath("$.localizations['en-US'].name").isEqualTo("Changed Behind");
        assertThat(cacheOfB.hits()).isEqualTo(hits);
    }

    @Test
    void aSafeRequestCannotChangeWhatTheConsoleCaches() {
        Mono<Long> writeInAGet = transactions.inTransaction(database.sql(
                        "update mini_programs set service_phone = '0571-1234567' where app_id = $1")
                        .bind(0, assigned).fetch().rowsUpdated())
                .contextWrite(TenantContext.forTenant(java.util.UUID.fromString(workspace.tenantId), null))
                .contextWrite(SafeRequest::mark);

        assertThat(org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class,
                () -> writeInAGet.block(Duration.ofSeconds(5))))
                .hasStackTraceContaining("a GET or HEAD request may not change mini_programs");
        get(api, workspace.owner, assigned).expectStatus().isOk()
                .expectBody().jsonPath("$.servicePhone").isEqualTo("0571-8888888");
    }

    @Test
    void theTenantSettingEndsWithTheStatement() {
        String setting = Mono.usingWhen(Mono.from(connectionFactory.create()),
                        connection -> Flux.from(connection.createStatement(
                                        "select app_id from console_mini_program($1, $2, $3)")
                                        .bind("$1", java.util.UUID.fromString(workspace.tenantId))
                                        .bind("$2", workspace.owner.id())
                                        .bind("$3", assigned)
                                        .execute())
                                .flatMap(result -> result.map(row -> row.get(0, String.class)))
                                .collectList()
                                .doOnNext(apps -> assertThat(apps).containsOnly(assigned))
                                .thenMany(connection.createStatement(
                                                "select coalesce(current_setting('app.tenant_id', true), '')")
                                        .execute())
                                .flatMap(result -> result.map(row -> row.get(0, String.class)))
                                .next(),
                        connection -> connection.close())
                .block(Duration.ofSeconds(30));

        assertThat(setting).isEmpty();
    }

    private static Map<String, Object> renamed(String name) {
        Map<String, Object> change = Workspace.validMiniProgram(name);
        change.put("revision", 1);
        return change;
    }

    private static Map<Object, Object> withoutTimes(Map<?, ?> view) {
        Map<Object, Object> rest = new java.util.HashMap<>(view);
        rest.remove("createdAt");
        rest.remove("updatedAt");
        return rest;
    }

    private WebTestClient.ResponseSpec get(WebTestClient node, TestUser user, String appId) {
        return node.get().uri(workspace.path("/mini-programs/" + appId))
                .headers(h -> h.setBearerAuth(user.accessToken()))
                .exchange();
    }

    private WebTestClient.ResponseSpec patchMember(TestUser member, Map<String, Object> patch) {
        return api.patch().uri(workspace.path("/members/" + member.id()))
                .headers(h -> h.setBearerAuth(workspace.owner.accessToken()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(patch)
                .exchange();
    }
}
