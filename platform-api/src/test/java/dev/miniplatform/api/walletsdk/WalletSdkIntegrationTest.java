package dev.miniplatform.api.walletsdk;

import dev.miniplatform.api.support.Catalog;
import dev.miniplatform.api.support.Catalog.RegisteredWallet;
import dev.miniplatform.api.support.IntegrationTest;
import dev.miniplatform.api.support.KeycloakUsers.TestUser;
import dev.miniplatform.api.support.SwitchableProxy;
import dev.miniplatform.api.support.Workspace;
import dev.miniplatform.auth.config.KeycloakProperties;
import dev.miniplatform.walletsdk.BatchResult;
import dev.miniplatform.walletsdk.CatalogMirror;
import dev.miniplatform.walletsdk.ListPage;
import dev.miniplatform.walletsdk.ListQuery;
import dev.miniplatform.walletsdk.WalletApiException;
import dev.miniplatform.walletsdk.WalletClient;
import dev.miniplatform.walletsdk.WalletMiniProgram;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.keycloak.representations.idm.ClientRepresentation;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The wallet SDK (module wallet-sdk) against the real platform: a wallet client registered through the admin API,
 * tokens from the test's Keycloak, releases through the console API. What a wallet relies on: answers in its
 * language, revalidation that costs a 304, tokens renewed before they expire, and a mirror that follows every kind
 * of change and keeps answering while the platform is unreachable.
 */
class WalletSdkIntegrationTest extends IntegrationTest {

    static final Locale EN = Locale.forLanguageTag("en-US");
    static final Locale ZH = Locale.forLanguageTag("zh-CN");

    static TestUser admin;

    @LocalServerPort
    int port;

    @Autowired
    KeycloakProperties keycloakProperties;

    Catalog catalog;
    Workspace workspace;

    @BeforeEach
    void aWorkspace() {
        if (admin == null) {
            admin = keycloak.newUserWithRealmRole("admin", "platform-admin");
        }
        catalog = new Catalog(api, keycloak, admin);
        workspace = Workspace.create(api, keycloak);
    }

    @Test
    void getBatchGetAndListAnswerInTheWalletsLanguage() {
        RegisteredWallet wallet = catalog.registerWallet("SDK Wallet");
        String appId = workspace.createMiniProgram(workspace.owner, "SDK Tea");
        catalog.fullRelease(workspace, appId, "1.0.0", wallet.id());
        WalletClient client = client(wallet, "http://127.0.0.1:" + port, new SimpleMeterRegistry()).build();

        WalletMiniProgram english = client.get(appId, "user-1", EN).orElseThrow();
        assertThat(english.language()).isEqualTo("en-US");
        assertThat(english.name()).isEqualTo("SDK Tea");
        assertThat(english.version()).isEqualTo("1.0.0");
        assertThat(english.releaseState()).isEqualTo("FULL_RELEASE");
        assertThat(english.packageUrl()).endsWith(english.packageSha256());
        assertThat(english.updatedAt()).isNotNull();
        assertThat(english.extConfigUrl()).isNull();
        // zh-Hant-TW falls back to zh → zh-CN; a language the app lacks gets its default (zh-CN)
        assertThat(client.get(appId, null, Locale.forLanguageTag("zh-Hant-TW")).orElseThrow().name()).isEqualTo("西湖茶馆");
        assertThat(client.get(appId, null, Locale.GERMANY, EN).orElseThrow().language()).isEqualTo("en-US");
        assertThat(client.get(appId, null, "PROD", EN)).as("released to DEV only").isEmpty();
        assertThat(client.get("mpunknownunknownunknow", null, EN)).isEmpty();

        BatchResult batch = client.batchGet(List.of(appId, "mpunknownunknownunknow"), null, ZH);
        assertThat(batch.items()).extracting(WalletMiniProgram::appId, WalletMiniProgram::language)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(appId, "zh-CN"));
        assertThat(batch.missing()).containsExactly("mpunknownunknownunknow");
        assertThatThrownBy(() -> client.batchGet(java.util.Collections.nCopies(101, appId), null))
                .isInstanceOf(IllegalArgumentException.class);

        ListPage page = client.list(ListQuery.all().withText("SDK Tea").withPage(0, 10));
        assertThat(page.items()).extracting(ListPage.Item::appId).contains(appId);
        assertThat(page.items()).filteredOn(item -> item.appId().equals(appId)).singleElement()
                .satisfies(item -> assertThat(item.version()).isEqualTo("1.0.0"));

        assertThatThrownBy(() -> client.list(ListQuery.all().sortedBy("nonsense")))
                .isInstanceOfSatisfying(WalletApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.problemType()).startsWith("urn:mini-program-platform:problem:");
                });
    }

    @Test
    void anUnchangedAnswerIsRevalidatedWithA304AndAChangedOneIsReadAgain() {
        RegisteredWallet wallet = catalog.registerWallet("ETag Wallet");
        String appId = workspace.createMiniProgram(workspace.owner, "ETag Tea");
        catalog.fullRelease(workspace, appId, "1.0.0", wallet.id());
        MeterRegistry registry = new SimpleMeterRegistry();
        WalletClient client = client(wallet, "http://127.0.0.1:" + port, registry).build();

        WalletMiniProgram first = client.get(appId, "user-1", EN).orElseThrow();
        for (int i = 0; i < 9; i++) {
            assertThat(client.get(appId, "user-1", EN)).contains(first);
        }
        assertThat(requests(registry, "get", "ok")).isEqualTo(1);
        assertThat(requests(registry, "get", "not_modified")).as("9 revalidations, no body on the wire").isEqualTo(9);
        // another language is another answer: no If-None-Match of the English one
        assertThat(client.get(appId, "user-1", ZH).orElseThrow().language()).isEqualTo("zh-CN");
        assertThat(requests(registry, "get", "ok")).isEqualTo(2);

        catalog.rename(workspace, appId, "ETag Tea Renamed");
        await().atMost(Duration.ofSeconds(10)).until(() -> client.get(appId, "user-1", EN).orElseThrow().name(),
                "ETag Tea Renamed"::equals);
    }

    @Test
    void aShortLivedTokenIsRenewedBeforeItExpiresOnceForManyConcurrentCallers() throws Exception {
        RegisteredWallet wallet = catalog.registerWallet("Short Token Wallet");
        tokenLifespan(wallet.clientId(), 10);
        String appId = workspace.createMiniProgram(workspace.owner, "Token Tea");
        catalog.fullRelease(workspace, appId, "1.0.0", wallet.id());
        MeterRegistry registry = new SimpleMeterRegistry();
        WalletClient client = client(wallet, "http://127.0.0.1:" + port, registry).etagCacheSize(0).build();

        assertThat(client.get(appId, null, EN)).isPresent();
        assertThat(tokenRefreshes(registry)).isEqualTo(1);
        for (int i = 0; i < 5; i++) {
            assertThat(client.get(appId, null, EN)).isPresent();
        }
        assertThat(tokenRefreshes(registry)).as("the token is reused").isEqualTo(1);

        // a 10 s token is due for renewal at half its life (30 s before expiry would be before it was issued)
        Thread.sleep(6_000);
        try (ExecutorService callers = Executors.newFixedThreadPool(16)) {
            List<Future<Optional<WalletMiniProgram>>> answers = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                answers.add(callers.submit(() -> client.get(appId, null, EN)));
            }
            for (Future<Optional<WalletMiniProgram>> answer : answers) {
                assertThat(answer.get()).isPresent();
            }
        }
        assertThat(tokenRefreshes(registry)).as("one renewal for 16 concurrent callers").isEqualTo(2);
        // past the first token's expiry: the renewed one is in use, nothing is refused
        Thread.sleep(5_000);
        assertThat(client.get(appId, null, EN)).isPresent();
        assertThat(requests(registry, "get", "client_error")).as("no 401 on the way").isZero();
    }

    @Test
    void theMirrorFollowsCreatesReleasesRenamesAndATakedown() {
        RegisteredWallet wallet = catalog.registerWallet("Mirror Wallet");
        MeterRegistry registry = new SimpleMeterRegistry();
        WalletClient client = client(wallet, "http://127.0.0.1:" + port, registry).build();
        String first = workspace.createMiniProgram(workspace.owner, "Mirror Tea");
        catalog.fullRelease(workspace, first, "1.0.0", wallet.id());

        try (CatalogMirror mirror = mirror(client).start()) {
            Converged.within(() -> mirror.get(first, EN).map(WalletMiniProgram::version), Optional.of("1.0.0"), "initial sync");
            assertThat(mirror.get(first, ZH).orElseThrow().name()).isEqualTo("西湖茶馆");
            assertThat(mirror.get(first, Locale.FRANCE).orElseThrow().language()).as("first configured language").isEqualTo("en-US");

            String second = workspace.createMiniProgram(workspace.owner, "Second Mirror Tea");
            assertThat(mirror.get(second, EN)).as("created, not released: not for wallets").isEmpty();
            catalog.fullRelease(workspace, second, "1.0.0", wallet.id());
            Converged.within(() -> mirror.get(second, EN).map(WalletMiniProgram::name), Optional.of("Second Mirror Tea"), "release of a new app");

            catalog.fullRelease(workspace, first, "1.1.0", wallet.id());
            Converged.within(() -> mirror.get(first, EN).map(WalletMiniProgram::version), Optional.of("1.1.0"), "new full release");

            catalog.rename(workspace, first, "Mirror Tea Renamed");
            Converged.within(() -> mirror.get(first, EN).map(WalletMiniProgram::name), Optional.of("Mirror Tea Renamed"), "rename");

            catalog.act(workspace, second, "1.0.0", "offline", wallet.id(), "DEV", Map.of()).expectStatus().isOk();
            Converged.within(() -> mirror.get(second, EN), Optional.empty(), "takedown (REMOVE)");
            assertThat(mirror.get(first, EN)).isPresent();

            assertThat(mirror.size()).isEqualTo(1);
            assertThat(mirror.lastSyncedAt()).isPresent();
            assertThat(registry.get("wallet.sdk.mirror.size").gauge().value()).isEqualTo(1.0);
            assertThat(registry.get("wallet.sdk.mirror.last.sync.age").gauge().value()).isLessThan(5.0);
            assertThat(registry.get("wallet.sdk.mirror.lag").timer().count()).isPositive();
        }
    }

    /**
     * The mirror holds what a user without a user id gets, the full release (decision in the module README): a pilot
     * user's version comes from a direct get.
     */
    @Test
    void theMirrorKeepsTheFullReleaseWhileAPilotUserGetsTheNewVersionDirectly() {
        RegisteredWallet wallet = catalog.registerWallet("Pilot Wallet");
        WalletClient client = client(wallet, "http://127.0.0.1:" + port, new SimpleMeterRegistry()).build();
        String appId = workspace.createMiniProgram(workspace.owner, "Pilot Tea");
        catalog.fullRelease(workspace, appId, "1.0.0", wallet.id());
        catalog.upload(workspace, appId, "1.1.0");
        catalog.act(workspace, appId, "1.1.0", "submit", wallet.id(), "DEV", Map.of()).expectStatus().isAccepted();
        catalog.act(workspace, appId, "1.1.0", "pilot", wallet.id(), "DEV", Map.of("userIds", List.of("pilot-user")))
                .expectStatus().isOk();
        try (CatalogMirror mirror = mirror(client)) {
            mirror.syncOnce();
            assertThat(mirror.get(appId, EN).orElseThrow().version()).isEqualTo("1.0.0");
            assertThat(client.get(appId, "pilot-user", EN).orElseThrow().version()).isEqualTo("1.1.0");
            assertThat(client.get(appId, "someone-else", EN).orElseThrow().version()).isEqualTo("1.0.0");
        }
    }

    @Test
    void whileThePlatformIsUnreachableTheMirrorAnswersAndDirectCallsFailWithinTheirTimeout() {
        RegisteredWallet wallet = catalog.registerWallet("Offline Wallet");
        String appId = workspace.createMiniProgram(workspace.owner, "Offline Tea");
        catalog.fullRelease(workspace, appId, "1.0.0", wallet.id());
        MeterRegistry registry = new SimpleMeterRegistry();
        try (SwitchableProxy platform = SwitchableProxy.toLater()) {
            platform.target(port);
            WalletClient client = client(wallet, "http://127.0.0.1:" + platform.port(), registry)
                    .callTimeout(Duration.ofSeconds(2))
                    .build();
            try (CatalogMirror mirror = mirror(client).start()) {
                Converged.within(() -> mirror.get(appId, EN).map(WalletMiniProgram::version), Optional.of("1.0.0"), "initial sync");

                platform.set(SwitchableProxy.Mode.REFUSE);
                catalog.fullRelease(workspace, appId, "1.1.0", wallet.id());
                long started = System.nanoTime();
                assertThatThrownBy(() -> client.get(appId, null, EN))
                        .isInstanceOfSatisfying(WalletApiException.class, e -> {
                            assertThat(e.status()).as("no answer at all").isZero();
                            assertThat(e).hasMessageContaining("within 2000 ms");
                        });
                assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
                await().atMost(Duration.ofSeconds(10)).until(() -> mirror.lastFailureAt().isPresent());
                for (int i = 0; i < 100; i++) {
                    assertThat(mirror.get(appId, EN).orElseThrow().version()).as("stale, but an answer").isEqualTo("1.0.0");
                }
                assertThat(registry.get("wallet.sdk.mirror.syncs").tag("outcome", "failed").counter().count()).isPositive();

                // hanging is worse than refusing: the attempt timeout ends it, the mirror still answers
                platform.set(SwitchableProxy.Mode.HANG);
                assertThat(mirror.get(appId, EN)).isPresent();
                assertThatThrownBy(() -> client.get(appId, null, EN)).isInstanceOf(WalletApiException.class);

                platform.set(SwitchableProxy.Mode.PASS);
                Converged.within(() -> mirror.get(appId, EN).map(WalletMiniProgram::version), Optional.of("1.1.0"),
                        "after the platform is back (back-off up to 2 s)");
                assertThat(client.get(appId, null, EN).orElseThrow().version()).isEqualTo("1.1.0");
            }
        }
    }

    private CatalogMirror mirror(WalletClient client) {
        return CatalogMirror.builder(client)
                .environment("DEV")
                .languages(EN, ZH)
                .pollInterval(Duration.ofMillis(200))
                .maxBackoff(Duration.ofSeconds(2))
                .build();
    }

    private WalletClient.Builder client(RegisteredWallet wallet, String baseUrl, MeterRegistry registry) {
        return WalletClient.builder()
                .baseUrl(baseUrl)
                .tokenUrl(tokenUrl(keycloakProperties))
                .clientId(wallet.clientId())
                .clientSecret(wallet.secret())
                .environment("DEV")
                .callTimeout(Duration.ofSeconds(20))
                .attemptTimeout(Duration.ofSeconds(10))
                .meterRegistry(registry);
    }

    static String tokenUrl(KeycloakProperties keycloak) {
        return keycloak.url() + "/realms/" + keycloak.realm() + "/protocol/openid-connect/token";
    }

    static double requests(MeterRegistry registry, String operation, String outcome) {
        var counter = registry.find("wallet.sdk.requests").tags("operation", operation, "outcome", outcome).counter();
        return counter == null ? 0 : counter.count();
    }

    static double tokenRefreshes(MeterRegistry registry) {
        var counter = registry.find("wallet.sdk.token.refreshes").tag("outcome", "ok").counter();
        return counter == null ? 0 : counter.count();
    }

    private void tokenLifespan(String clientId, int seconds) {
        keycloakAdmin().call(realm -> {
            ClientRepresentation client = realm.clients().findByClientId(clientId).getFirst();
            Map<String, String> attributes = new java.util.HashMap<>(client.getAttributes() == null ? Map.of() : client.getAttributes());
            attributes.put("access.token.lifespan", Integer.toString(seconds));
            client.setAttributes(attributes);
            realm.clients().get(client.getId()).update(client);
            return client.getId();
        }).block(Duration.ofSeconds(30));
    }

    /** Waits for the mirror to show a change and prints how long it took (docs: notes on measurements). */
    static final class Converged {

        static <T> void within(Supplier<T> actual, T expected, String what) {
            long started = System.nanoTime();
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20)).until(actual::get, expected::equals);
            System.out.printf("wallet-sdk measurement: mirror converged on %s in %d ms%n", what,
                    Duration.ofNanos(System.nanoTime() - started).toMillis());
        }
    }
}
