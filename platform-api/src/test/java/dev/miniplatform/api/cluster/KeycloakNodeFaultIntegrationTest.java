package dev.miniplatform.api.cluster;

import dev.miniplatform.api.support.Catalog;
import dev.miniplatform.api.support.Catalog.RegisteredWallet;
import dev.miniplatform.api.support.HaproxyProcess;
import dev.miniplatform.api.support.HaproxyProcess.KeycloakFrontend;
import dev.miniplatform.api.support.HaproxyProcess.KeycloakServer;
import dev.miniplatform.api.support.KeycloakNodeProcess;
import dev.miniplatform.api.support.KeycloakNodeProcess.Database;
import dev.miniplatform.api.support.KeycloakNodeProcess.Ports;
import dev.miniplatform.api.support.KeycloakUsers;
import dev.miniplatform.api.support.KeycloakUsers.TestUser;
import dev.miniplatform.api.support.Node;
import dev.miniplatform.api.support.Workspace;
import dev.miniplatform.auth.config.KeycloakProperties;
import dev.miniplatform.auth.keycloak.KeycloakAdmin;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.core.env.Environment;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A Keycloak node's crash under load, on the topology bin/cluster runs: two Keycloak nodes clustered over jdbc-ping
 * (built and started as bin/cluster does, on a database of their own on the suite's PostgreSQL) behind bin/cluster's
 * HAProxy frontend for Keycloak (bin/lib/haproxy-keycloak.cfg), and an API node in this JVM that reaches Keycloak only
 * through that balancer, itself behind the API frontend (bin/lib/haproxy.cfg). Wallet reads, console renames and
 * logins (token requests: a person's password grant, a wallet's client credentials) run through the balancers while
 * the node that imported the realm, the cluster's coordinator, is killed with SIGKILL and started again.
 * <p>
 * What must hold: no wallet read and no console read fails; a console write fails only if in flight at the kill (at
 * most one per console client), and every acknowledged one is there at the end; a login fails only in the phase of
 * the kill, at most one per login client (the one in flight on the dying node: the balancer does not repeat a POST);
 * after the restart both nodes issue tokens and are one cluster again: each sees the other in its cluster view, and a
 * change made through one is seen at once by the other, whose realm cache only the cluster's invalidation can clear.
 * The figures are printed and written to target/keycloak-node-fault.md. ClusterFaultsIntegrationTest has the API node
 * and Redis faults; bench/cluster-faults runs all four longer on bin/cluster.
 */
class KeycloakNodeFaultIntegrationTest {

    static final int KEYCLOAK_LB_PORT = 9160;
    static final Ports KC1_PORTS = new Ports(9161, 9163, 9170);
    static final Ports KC2_PORTS = new Ports(9162, 9164, 9171);
    static final int STATS_PORT = 9165;
    static final int API_LB_PORT = 9166;
    static final int WALLET_CLIENTS = 2;
    static final int CONSOLE_CLIENTS = 2;
    static final int APPS = 3;
    static final String KILLED = "Keycloak node killed";
    static final String TOKEN_PATH = "/realms/platform/protocol/openid-connect/token";
    static final Duration KEYCLOAK_START = Duration.ofSeconds(240);
    static final JsonMapper JSON = JsonMapper.builder().build();

    static long startedAt;
    static Node node;
    static Database database;
    static KeycloakNodeProcess kc1;
    static KeycloakNodeProcess kc2;
    static HaproxyProcess lb;
    static KeycloakUsers keycloak;
    static RegisteredWallet wallet;
    static Workspace workspace;
    static TestUser loginUser;
    static final List<String> APP_IDS = new ArrayList<>();
    static final Map<String, String> SET_UP = new LinkedHashMap<>();

    @BeforeAll
    static void cluster() throws Exception {
        assumeTrue(HaproxyProcess.installed(), "haproxy not installed (bin/test installs it): cannot run the Keycloak fault test");
        startedAt = System.nanoTime();
        String keycloakUrl = "http://127.0.0.1:" + KEYCLOAK_LB_PORT;
        // naming Keycloak keeps dev services from providing one for this node (they provide only what is not set)
        node = Node.start("platform.keycloak.url=" + keycloakUrl,
                "management.endpoint.health.probes.enabled=true",
                // the load is paced far below these; the limiter still runs (in Redis) and is part of what is measured
                "platform.rate-limit.wallet-capacity=1000000", "platform.rate-limit.wallet-per-second=1000000",
                "platform.rate-limit.user-capacity=1000000", "platform.rate-limit.user-per-second=1000000");
        lap("API node started");

        // Keycloak's database on the PostgreSQL this run's API node uses (the machine's, or one dev services started)
        Environment environment = node.bean(Environment.class);
        database = Database.createFresh(environment.getRequiredProperty("spring.flyway.url"),
                environment.getRequiredProperty("spring.flyway.user"), environment.getProperty("spring.flyway.password", ""),
                "keycloak_fault");
        Path built = KeycloakNodeProcess.clusterDistribution();
        lap("Keycloak built for the cluster (once per version)");
        kc1 = KeycloakNodeProcess.prepare("kc1", built, KC1_PORTS, database, keycloakUrl, true);
        kc2 = KeycloakNodeProcess.prepare("kc2", built, KC2_PORTS, database, keycloakUrl, false);
        kc1.start();
        kc1.awaitStarted(KEYCLOAK_START);
        lap("kc1 started, realm imported");
        lb = HaproxyProcess.start(API_LB_PORT, STATS_PORT, Map.of("api1", node.port()), new KeycloakFrontend(KEYCLOAK_LB_PORT,
                orderedMap("kc1", new KeycloakServer(KC1_PORTS.http(), KC1_PORTS.management()),
                        "kc2", new KeycloakServer(KC2_PORTS.http(), KC2_PORTS.management()))));
        lb.awaitStatus("kc1", "UP", Duration.ofSeconds(30));
        // the second node starts while the catalog is filled through the balancer (kc1 alone until kc2 is up)
        kc2.start();

        keycloak = new KeycloakUsers(node.bean(KeycloakAdmin.class), node.bean(KeycloakProperties.class));
        Catalog catalog = new Catalog(node.api(), keycloak, keycloak.newUserWithRealmRole("admin", "platform-admin"));
        wallet = catalog.registerWallet("Keycloak Fault Wallet");
        workspace = Workspace.create(node.api(), keycloak);
        for (int i = 0; i < APPS; i++) {
            String appId = workspace.createMiniProgram(workspace.owner, "Login Tea " + i);
            catalog.fullRelease(workspace, appId, "1.0.0", wallet.id());
            APP_IDS.add(appId);
        }
        loginUser = keycloak.newUser("login");
        lap("catalog filled");

        kc2.awaitStarted(KEYCLOAK_START);
        lb.awaitStatus("kc2", "UP", Duration.ofSeconds(30));
        lb.awaitStatus("api1", "UP", Duration.ofSeconds(30));
        List<String> both = List.of(kc1.memberName(), kc2.memberName());
        kc1.awaitClusterView(both, Duration.ofSeconds(60));
        kc2.awaitClusterView(both, Duration.ofSeconds(60));
        lap("kc2 started and clustered with kc1");
    }

    @AfterAll
    static void stop() throws Exception {
        if (lb != null) {
            lb.close();
        }
        for (KeycloakNodeProcess keycloakNode : new KeycloakNodeProcess[] {kc1, kc2}) {
            if (keycloakNode != null) {
                // Keycloak's own output, kept beside the report: what a failed run needs first
                if (Files.exists(keycloakNode.log())) {
                    Files.copy(keycloakNode.log(), Path.of("target/keycloak-node-fault-" + keycloakNode.name() + ".log"),
                            StandardCopyOption.REPLACE_EXISTING);
                }
                keycloakNode.close();
            }
        }
        if (database != null) {
            database.drop();
        }
        if (node != null) {
            node.close();
        }
    }

    @Test
    void loginsSurviveTheCoordinatorsCrashAndTheRestartedNodeRejoinsTheCluster() throws Exception {
        assertThat(kc2.clusterView().getFirst()).as("the node killed below coordinates the cluster (it started first)")
                .isEqualTo(kc1.memberName());
        Load load = new Load("http://127.0.0.1:" + API_LB_PORT, "http://127.0.0.1:" + KEYCLOAK_LB_PORT,
                node.bean(MeterRegistry.class));
        Map<String, String> recovery = new LinkedHashMap<>();
        try {
            load.start();
            Thread.sleep(2000);
            load.phase("steady");
            Thread.sleep(Long.getLong("platform.test.keycloak-fault.steady-ms", 5000));

            load.phase(KILLED);
            String survivor = kc2.memberName();
            kc1.kill();
            long killedAt = System.nanoTime();
            recovery.put("balancer marks kc1 down", millis(lb.awaitStatus("kc1", "DOWN", Duration.ofSeconds(20))));
            kc2.awaitClusterView(List.of(survivor), Duration.ofSeconds(60));
            recovery.put("kc2's cluster view without kc1", since(killedAt));
            Thread.sleep(4000);

            load.phase("Keycloak node restarting");
            kc1.start();
            kc1.awaitStarted(KEYCLOAK_START);
            recovery.put("kc1 started again (its JVM's start included)", since(killedAt));
            lb.awaitStatus("kc1", "UP", Duration.ofSeconds(30));
            recovery.put("kc1 back in the balancer's rotation", since(killedAt));
            List<String> both = List.of(kc1.memberName(), survivor);
            kc2.awaitClusterView(both, Duration.ofSeconds(60));
            kc1.awaitClusterView(both, Duration.ofSeconds(60));
            recovery.put("both nodes' cluster views have both again", since(killedAt));
            Thread.sleep(2000);

            load.phase("steady after");
            Thread.sleep(5000);
        } finally {
            load.stop();
        }

        // after the restart: each node issues tokens itself, and a change made through either is seen by the other
        // at once, which only the cluster's invalidation of the other's realm cache can give
        Map<String, Integer> directLogins = new LinkedHashMap<>();
        for (KeycloakNodeProcess keycloakNode : List.of(kc1, kc2)) {
            directLogins.put(keycloakNode.name(), load.passwordLogin(keycloakNode.baseUrl()).status());
        }
        String adminToken = masterAdminToken(kc1);
        recovery.put("a realm change on kc1 seen by kc2", millis(realmChangeSeen(kc1, kc2, adminToken)));
        recovery.put("a realm change on kc2 seen by kc1", millis(realmChangeSeen(kc2, kc1, adminToken)));
        recovery.put("test class wall time until here (set-up included)", since(startedAt));

        String report = load.report(SET_UP, recovery, directLogins)
                + "\nHAProxy's log (server state changes, and requests that did not end normally):\n" + lb.unusualLog();
        System.out.println(report);
        Files.writeString(Path.of("target/keycloak-node-fault.md"), report);

        for (Phase phase : load.phases) {
            assertThat(phase.walletFailed.get()).as("failed wallet reads during '%s': %s", phase.name, phase.failures)
                    .isZero();
            assertThat(phase.walletOk.get()).as("wallet reads answered during '%s'", phase.name).isPositive();
            assertThat(phase.consoleReadsFailed.get()).as("failed console reads during '%s': %s", phase.name, phase.failures)
                    .isZero();
            boolean killed = phase.name.equals(KILLED);
            assertThat(phase.consoleWritesFailed.get())
                    .as("console writes that failed during '%s' (only those in flight at the kill may): %s",
                            phase.name, phase.failures)
                    .isLessThanOrEqualTo(killed ? CONSOLE_CLIENTS : 0);
            assertThat(phase.loginsOk.get()).as("logins answered during '%s'", phase.name).isPositive();
            // a token request the balancer closed unanswered was repeated (and counted): only one in flight on the
            // dying node may be (bin/lib/haproxy-keycloak.cfg opens a connection per request, so none otherwise)
            assertThat(phase.loginsClosedWithoutAnswer.get())
                    .as("token requests the Keycloak balancer closed unanswered during '%s': %s", phase.name, phase.failures)
                    .isLessThanOrEqualTo(killed ? LoginKind.values().length : 0);
            for (LoginKind kind : LoginKind.values()) {
                assertThat(phase.loginsFailed[kind.ordinal()].get())
                        .as("%s logins that failed during '%s' (only the one in flight on the dying node may): %s",
                                kind.label, phase.name, phase.failures)
                        .isLessThanOrEqualTo(killed ? 1 : 0);
            }
        }
        for (int client = 0; client < CONSOLE_CLIENTS; client++) {
            JsonNode current = load.get(load.consolePath(client)).body();
            assertThat(current.path("localizations").path("en-US").path("name").asString())
                    .as("mini program of console client %d: its last acknowledged name", client)
                    .isEqualTo(load.lastAcknowledged[client].get());
        }
        assertThat(load.unresolvedWrites.get()).as("writes whose retries never got an answer").isZero();
        assertThat(directLogins).as("password logins sent to each Keycloak node itself after the restart")
                .containsExactlyInAnyOrderEntriesOf(Map.of("kc1", 200, "kc2", 200));
    }

    /** A token of the master realm's bootstrap admin (Keycloak's admin API), from {@code from} itself. */
    private static String masterAdminToken(KeycloakNodeProcess from) throws IOException, InterruptedException {
        HttpResponse<String> response = Load.HTTP.send(form(from.baseUrl() + "/realms/master/protocol/openid-connect/token",
                Map.of("grant_type", "password", "client_id", "admin-cli", "username", "admin", "password", "admin")),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("admin token from %s: %s", from.name(), response.body()).isEqualTo(200);
        return JSON.readTree(response.body()).path("access_token").asString();
    }

    /**
     * Renames the realm's display name through {@code writer}'s admin API and returns how long {@code reader}, which
     * has the realm in its cache (read just before), took to answer the new name; fails after 15 s.
     */
    private static Duration realmChangeSeen(KeycloakNodeProcess writer, KeycloakNodeProcess reader, String adminToken)
            throws IOException, InterruptedException {
        String before = displayName(reader, adminToken);
        String changed = "Mini Program Platform " + UUID.randomUUID().toString().substring(0, 8);
        HttpRequest update = HttpRequest.newBuilder(URI.create(writer.baseUrl() + "/admin/realms/platform"))
                .header("Authorization", "Bearer " + adminToken)
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(15))
                .PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("displayName", changed))))
                .build();
        HttpResponse<String> updated = Load.HTTP.send(update, HttpResponse.BodyHandlers.ofString());
        assertThat(updated.statusCode()).as("realm update on %s: %s", writer.name(), updated.body()).isEqualTo(204);
        long start = System.nanoTime();
        long deadline = start + Duration.ofSeconds(15).toNanos();
        String seen = before;
        while (System.nanoTime() < deadline) {
            seen = displayName(reader, adminToken);
            if (seen.equals(changed)) {
                return Duration.ofNanos(System.nanoTime() - start);
            }
            Thread.sleep(100);
        }
        assertThat(seen).as("the realm's display name on %s after %s changed it (its cache invalidated through the cluster)",
                reader.name(), writer.name()).isEqualTo(changed);
        return Duration.ofNanos(System.nanoTime() - start);
    }

    private static String displayName(KeycloakNodeProcess from, String adminToken) throws IOException, InterruptedException {
        HttpRequest read = HttpRequest.newBuilder(URI.create(from.baseUrl() + "/admin/realms/platform"))
                .header("Authorization", "Bearer " + adminToken)
                .timeout(Duration.ofSeconds(15))
                .build();
        HttpResponse<String> response = Load.HTTP.send(read, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("realm read on %s: %s", from.name(), response.body()).isEqualTo(200);
        return JSON.readTree(response.body()).path("displayName").asString();
    }

    private static HttpRequest form(String url, Map<String, String> fields) {
        String body = fields.entrySet().stream()
                .map(field -> field.getKey() + "=" + URLEncoder.encode(field.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .timeout(Duration.ofSeconds(15))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
    }

    private static void lap(String what) {
        SET_UP.put(what, since(startedAt));
        // as it happens too: a set-up that fails or hangs shows how far it got
        System.out.println("KeycloakNodeFaultIntegrationTest: " + what + " after " + SET_UP.get(what));
    }

    private static String since(long startNanos) {
        return millis(Duration.ofNanos(System.nanoTime() - startNanos));
    }

    private static String millis(Duration duration) {
        return duration.toMillis() + " ms";
    }

    private static <V> Map<String, V> orderedMap(String k1, V v1, String k2, V v2) {
        Map<String, V> map = new LinkedHashMap<>();
        map.put(k1, v1);
        map.put(k2, v2);
        return map;
    }

    /** The two kinds of login the load makes, one client each. */
    enum LoginKind {
        PASSWORD("password grant (a person, platform-cli)"),
        CLIENT_CREDENTIALS("client credentials (the wallet's client)");

        final String label;

        LoginKind(String label) {
            this.label = label;
        }
    }

    /** Requests counted under the phase they ran in. */
    static final class Phase {
        final String name;
        final long startedAt = System.nanoTime();
        final double failOpenAtStart;
        volatile long endedAt;
        volatile double failOpenAtEnd;
        final AtomicLong walletOk = new AtomicLong();
        final AtomicLong walletFailed = new AtomicLong();
        final AtomicLong consoleReadsOk = new AtomicLong();
        final AtomicLong consoleReadsFailed = new AtomicLong();
        final AtomicLong consoleWritesOk = new AtomicLong();
        final AtomicLong consoleWritesFailed = new AtomicLong();
        final AtomicLong repeatsRefused = new AtomicLong();
        /** Requests a balancer answered by closing the connection, sent again by the client (see Load#send). */
        final AtomicLong closedWithoutAnswer = new AtomicLong();
        final AtomicLong loginsClosedWithoutAnswer = new AtomicLong();
        final AtomicLong loginsOk = new AtomicLong();
        final AtomicLong[] loginsFailed = {new AtomicLong(), new AtomicLong()};
        final AtomicLong maxLoginMillis = new AtomicLong();
        final AtomicLong maxLatencyMillis = new AtomicLong();
        final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();

        Phase(String name, double failOpen) {
            this.name = name;
            this.failOpenAtStart = failOpen;
        }

        void failure(String what) {
            if (failures.size() < 10) {
                failures.add(what);
            }
        }
    }

    record Answer(int status, JsonNode body, String error) {
        boolean ok() {
            return status == 200;
        }
    }

    /**
     * The load, paced so that a Keycloak node can start meanwhile on two shared cores: {@value #WALLET_CLIENTS} wallet
     * clients (about 20 reads a second each), {@value #CONSOLE_CLIENTS} console clients renaming a mini program of
     * their own with the revision they read, and one login client of each {@link LoginKind} (a token request every
     * 300 ms) through Keycloak's balancer.
     */
    static final class Load {
        // HTTP/1.1, as browsers and SDKs speak it to a balancer over plain HTTP (ClusterFaultsIntegrationTest.Load)
        static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2)).build();

        final String api;
        final String keycloakBase;
        final MeterRegistry meters;
        final List<Phase> phases = new CopyOnWriteArrayList<>();
        final AtomicReference<Phase> current = new AtomicReference<>();
        final AtomicReference<String>[] lastAcknowledged;
        final AtomicLong unresolvedWrites = new AtomicLong();
        final List<Thread> threads = new ArrayList<>();
        volatile String ownerToken;
        volatile boolean running = true;

        @SuppressWarnings("unchecked")
        Load(String api, String keycloakBase, MeterRegistry meters) {
            this.api = api;
            this.keycloakBase = keycloakBase;
            this.meters = meters;
            this.lastAcknowledged = new AtomicReference[CONSOLE_CLIENTS];
        }

        void phase(String name) {
            double failOpen = failOpen();
            Phase next = new Phase(name, failOpen);
            Phase previous = current.getAndSet(next);
            if (previous != null) {
                previous.endedAt = System.nanoTime();
                previous.failOpenAtEnd = failOpen;
            }
            phases.add(next);
        }

        /** Console requests the API node admitted on their token alone: Keycloak did not answer its standing lookup. */
        private double failOpen() {
            return meters.find("platform.identity.standing.fail.open").counters().stream().mapToDouble(Counter::count).sum();
        }

        void start() {
            // a fresh token: the owner's from the set-up may be close to its 5 minutes on a slow machine
            ownerToken = keycloak.login(workspace.owner).accessToken();
            phase("warm-up");
            for (int i = 0; i < WALLET_CLIENTS; i++) {
                threads.add(Thread.ofPlatform().name("wallet-load-" + i).start(this::walletClient));
            }
            for (int i = 0; i < CONSOLE_CLIENTS; i++) {
                int client = i;
                lastAcknowledged[client] = new AtomicReference<>("Login Tea " + client);
                threads.add(Thread.ofPlatform().name("console-load-" + i).start(() -> consoleClient(client)));
            }
            for (LoginKind kind : LoginKind.values()) {
                threads.add(Thread.ofPlatform().name("login-load-" + kind).start(() -> loginClient(kind)));
            }
        }

        void stop() throws InterruptedException {
            running = false;
            for (Thread thread : threads) {
                thread.join(Duration.ofSeconds(60));
            }
            current.get().endedAt = System.nanoTime();
            current.get().failOpenAtEnd = failOpen();
            phases.removeIf(phase -> phase.name.equals("warm-up"));
        }

        String consolePath(int client) {
            return workspace.path("/mini-programs/" + APP_IDS.get(client));
        }

        private void walletClient() {
            while (running) {
                String appId = APP_IDS.get(ThreadLocalRandom.current().nextInt(APP_IDS.size()));
                Phase phase = current.get();
                long start = System.nanoTime();
                Answer answer = send(HttpRequest.newBuilder(URI.create(api + "/wallet/v1/mini-programs/" + appId + "?environment=DEV"))
                        .header("Authorization", "Bearer " + wallet.token()).GET());
                latency(phase.maxLatencyMillis, start);
                if (answer.ok()) {
                    phase.walletOk.incrementAndGet();
                } else {
                    phase.walletFailed.incrementAndGet();
                    phase.failure("wallet read " + appId + ": " + answer.status() + " " + answer.error());
                }
                pause(50);
            }
        }

        private void consoleClient(int client) {
            int sequence = 0;
            while (running) {
                write(client, "Login Tea " + client + "-" + (++sequence));
                Phase phase = current.get();
                long start = System.nanoTime();
                Answer read = get(consolePath(client));
                latency(phase.maxLatencyMillis, start);
                if (read.ok()) {
                    phase.consoleReadsOk.incrementAndGet();
                } else {
                    phase.consoleReadsFailed.incrementAndGet();
                    phase.failure("console read: " + read.status() + " " + read.error());
                }
                pause(200);
            }
        }

        /**
         * A console client's rename with the revision it read; when the write gets no answer, read again: the name is
         * there (applied, its answer lost) or it is not (write again with the revision just read). Never applied twice.
         */
        private void write(int client, String name) {
            for (int attempt = 0; attempt < 20; attempt++) {
                Phase phase = current.get();
                Answer before = get(consolePath(client));
                if (!before.ok()) {
                    phase.consoleReadsFailed.incrementAndGet();
                    phase.failure("console read before write: " + before.status() + " " + before.error());
                    pause(200);
                    continue;
                }
                phase.consoleReadsOk.incrementAndGet();
                if (attempt > 0 && name.equals(before.body().path("localizations").path("en-US").path("name").asString())) {
                    lastAcknowledged[client].set(name);
                    return;
                }
                Map<String, Object> body = Workspace.validMiniProgram(name);
                body.put("revision", before.body().path("revision").asLong());
                long start = System.nanoTime();
                Answer written = send(HttpRequest.newBuilder(URI.create(api + consolePath(client)))
                        .header("Authorization", "Bearer " + ownerToken)
                        .header("Content-Type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))));
                latency(phase.maxLatencyMillis, start);
                if (written.ok()) {
                    phase.consoleWritesOk.incrementAndGet();
                    lastAcknowledged[client].set(name);
                    return;
                }
                if (attempt > 0 && written.status() == 409) {
                    phase.repeatsRefused.incrementAndGet();
                    continue;
                }
                phase.consoleWritesFailed.incrementAndGet();
                phase.failure("console write: " + written.status() + " " + written.error());
                pause(200);
            }
            unresolvedWrites.incrementAndGet();
        }

        /** Token requests through Keycloak's balancer, one at a time, each expected to give an access token. */
        private void loginClient(LoginKind kind) {
            while (running) {
                Phase phase = current.get();
                long start = System.nanoTime();
                Map<String, String> form = switch (kind) {
                    case PASSWORD -> passwordForm();
                    case CLIENT_CREDENTIALS -> Map.of("grant_type", "client_credentials",
                            "client_id", wallet.clientId(), "client_secret", wallet.secret());
                };
                // a token request is as safe to repeat as the console's writes (one more session, one more token)
                Answer answer = send(form(keycloakBase + TOKEN_PATH, form));
                latency(phase.maxLoginMillis, start);
                if (answer.ok() && answer.body().hasNonNull("access_token")) {
                    phase.loginsOk.incrementAndGet();
                } else {
                    phase.loginsFailed[kind.ordinal()].incrementAndGet();
                    phase.failure(kind.label + ": " + answer.status() + " " + answer.error());
                }
                pause(300);
            }
        }

        /** The login user's password grant (the dev CLI client), sent to {@code base} once: a node itself. */
        Answer passwordLogin(String base) {
            return sendOnce(form(base + TOKEN_PATH, passwordForm()));
        }

        private static Map<String, String> passwordForm() {
            return Map.of("grant_type", "password", "client_id", "platform-cli",
                    "username", loginUser.username(), "password", loginUser.password());
        }

        Answer get(String path) {
            return send(HttpRequest.newBuilder(URI.create(api + path))
                    .header("Authorization", "Bearer " + ownerToken).GET());
        }

        /**
         * One request, repeated once on a new connection when the balancer closed a kept-alive one without a byte of
         * answer, as browsers do (decision 255; ClusterFaultsIntegrationTest.Load#send): counted, per balancer. A console
         * write carries its revision and a token request only adds a session, so neither repeat can do harm.
         */
        private Answer send(HttpRequest.Builder request) {
            return send(request.timeout(Duration.ofSeconds(15)).build());
        }

        private Answer send(HttpRequest built) {
            Answer answer = sendOnce(built);
            if (answer.status() == 0 && answer.error().contains("received no bytes")) {
                boolean keycloakBalancer = built.uri().getPort() == KEYCLOAK_LB_PORT;
                (keycloakBalancer ? current.get().loginsClosedWithoutAnswer : current.get().closedWithoutAnswer).incrementAndGet();
                current.get().failure("closed without an answer, sent again: " + built.method() + " " + built.uri().getPath());
                answer = sendOnce(built);
            }
            return answer;
        }

        private static Answer sendOnce(HttpRequest request) {
            try {
                HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
                JsonNode body = response.statusCode() == 200 ? JSON.readTree(response.body()) : null;
                return new Answer(response.statusCode(), body, response.statusCode() == 200 ? "" : response.body());
            } catch (IOException e) {
                return new Answer(0, null, e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Answer(0, null, "interrupted");
            }
        }

        private static void latency(AtomicLong max, long startNanos) {
            max.accumulateAndGet((System.nanoTime() - startNanos) / 1_000_000, Math::max);
        }

        private static void pause(long millis) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        String report(Map<String, String> setUp, Map<String, String> recovery, Map<String, Integer> directLogins) {
            StringBuilder text = new StringBuilder("\n## A Keycloak node's crash under load (KeycloakNodeFaultIntegrationTest)\n\n")
                    .append("| phase | s | wallet reads ok / failed | console reads ok / failed | console writes ok / failed | ")
                    .append("logins ok | password logins failed | client-credentials logins failed | max login ms | ")
                    .append("max API ms | standing lookups failed open | closed unanswered, sent again: API / Keycloak |\n")
                    .append("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
            for (Phase phase : phases) {
                text.append("| %s | %.1f | %d / %d | %d / %d | %d / %d | %d | %d | %d | %d | %d | %.0f | %d / %d |%n".formatted(
                        phase.name, (phase.endedAt - phase.startedAt) / 1e9, phase.walletOk.get(), phase.walletFailed.get(),
                        phase.consoleReadsOk.get(), phase.consoleReadsFailed.get(), phase.consoleWritesOk.get(),
                        phase.consoleWritesFailed.get(), phase.loginsOk.get(),
                        phase.loginsFailed[LoginKind.PASSWORD.ordinal()].get(),
                        phase.loginsFailed[LoginKind.CLIENT_CREDENTIALS.ordinal()].get(), phase.maxLoginMillis.get(),
                        phase.maxLatencyMillis.get(), phase.failOpenAtEnd - phase.failOpenAtStart,
                        phase.closedWithoutAnswer.get(), phase.loginsClosedWithoutAnswer.get()));
            }
            text.append("\n| recovery (from the kill) | time |\n|---|---|\n");
            recovery.forEach((what, time) -> text.append("| ").append(what).append(" | ").append(time).append(" |\n"));
            text.append("\nPassword logins sent to each node itself after the restart: ").append(directLogins).append('\n');
            text.append("\n| set-up step (from the class's start) | time |\n|---|---|\n");
            setUp.forEach((what, time) -> text.append("| ").append(what).append(" | ").append(time).append(" |\n"));
            phases.stream().filter(phase -> !phase.failures.isEmpty())
                    .forEach(phase -> text.append("\nFailures during ").append(phase.name).append(": ").append(phase.failures));
            return text.append('\n').toString();
        }
    }
}
