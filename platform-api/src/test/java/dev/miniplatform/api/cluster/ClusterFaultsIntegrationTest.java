package dev.miniplatform.api.cluster;

import dev.miniplatform.api.support.Catalog;
import dev.miniplatform.api.support.Catalog.RegisteredWallet;
import dev.miniplatform.api.support.HaproxyProcess;
import dev.miniplatform.api.support.KeycloakUsers;
import dev.miniplatform.api.support.Node;
import dev.miniplatform.api.support.NodeProcess;
import dev.miniplatform.api.support.RedisProcess;
import dev.miniplatform.api.support.StreamingReplica;
import dev.miniplatform.api.support.Workspace;
import dev.miniplatform.api.walletapi.ReplicaState;
import dev.miniplatform.auth.config.KeycloakProperties;
import dev.miniplatform.auth.keycloak.KeycloakAdmin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.core.env.Environment;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import reactor.core.publisher.Flux;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Faults under load, through the load balancer bin/cluster ships (bin/lib/haproxy.cfg, Debian's HAProxy): two API
 * nodes (this JVM's and a process of its own that is killed with SIGKILL and started again) on a Redis Cluster of three
 * masters with a replica each (ports 7110–7115), one of which is killed so that its replica takes over, and a
 * PostgreSQL primary with a streaming replica (5447, 5448) that the wallet path reads, killed and started again.
 * Wallet reads and console reads and writes run throughout; every request is counted against the fault it ran under.
 * The Keycloak node fault is {@code KeycloakNodeFaultIntegrationTest}'s.
 * <p>
 * What must hold: no wallet read fails; every acknowledged console write is there at the end; a console write fails
 * only while a node dies under it (at most one per console client) and its client's retry, which sends the revision it
 * read, applies it exactly once. The figures (failed requests, detection and recovery times) are printed and written
 * to target/cluster-faults.md; docs/operations.md has a run's. {@code -Dplatform.test.cluster-faults.steady-ms=60000}
 * lengthens the first steady phase (3 s by default). bench/cluster-faults runs the same faults longer, on
 * bin/cluster, all four faults one after another.
 */
class ClusterFaultsIntegrationTest {

    static final int[] REDIS_PORTS = {7110, 7111, 7112, 7113, 7114, 7115};
    static final int LB_PORT = 9150;
    static final int STATS_PORT = 9151;
    static final int NODE2_PORT = 9152;
    static final int PG_PRIMARY_PORT = 5447;
    static final int PG_STANDBY_PORT = 5448;
    static final int WALLET_CLIENTS = 4;
    static final int CONSOLE_CLIENTS = 2;
    static final int APPS = 6;
    static final JsonMapper JSON = JsonMapper.builder().build();

    static final List<RedisProcess> REDIS = new ArrayList<>();
    static StreamingReplica postgres;
    static Node node1;
    static NodeProcess node2;
    static HaproxyProcess lb;
    static Map<String, Object> node2Properties;
    static RegisteredWallet wallet;
    static Workspace workspace;
    static final List<String> APP_IDS = new ArrayList<>();

    @BeforeAll
    static void cluster() throws Exception {
        assumeTrue(RedisProcess.installed(), "redis-server/redis-cli not installed: cannot run the cluster fault test");
        assumeTrue(HaproxyProcess.installed(), "haproxy not installed (bin/test installs it): cannot run the cluster fault test");
        assumeTrue(StreamingReplica.installed(), "pg_basebackup not installed: cannot run the cluster fault test");
        // a PostgreSQL primary and a streaming replica of the test's own: the wallet path's misses, lists and feed read
        // the replica (decision 243), everything else the primary
        postgres = StreamingReplica.start(PG_PRIMARY_PORT, PG_STANDBY_PORT);
        for (int port : REDIS_PORTS) {
            REDIS.add(RedisProcess.start(port, true));
        }
        RedisProcess.createCluster(REDIS, 1);
        String redisNodes = String.join(",", java.util.Arrays.stream(REDIS_PORTS).mapToObj(p -> "127.0.0.1:" + p).toList());
        List<String> shared = new ArrayList<>(postgres.applicationProperties());
        shared.addAll(List.of("spring.data.redis.cluster.nodes=" + redisNodes,
                "management.endpoint.health.probes.enabled=true",
                // the load is paced far below these; the limiter still runs (in Redis) and is part of what is measured
                "platform.rate-limit.wallet-capacity=1000000", "platform.rate-limit.wallet-per-second=1000000",
                "platform.rate-limit.user-capacity=1000000", "platform.rate-limit.user-per-second=1000000"));
        node1 = Node.start(shared.toArray(String[]::new));
        node2Properties = new HashMap<>();
        Environment environment = node1.bean(Environment.class);
        for (String key : List.of("spring.r2dbc.url", "spring.r2dbc.username", "spring.r2dbc.password", "spring.flyway.url",
                "spring.flyway.user", "spring.flyway.password", "spring.flyway.placeholders.app_role",
                "spring.mail.host", "spring.mail.port", "platform.keycloak.url")) {
            String value = environment.getProperty(key);
            if (value != null) {
                node2Properties.put(key, value);
            }
        }
        shared.forEach(property -> node2Properties.put(property.substring(0, property.indexOf('=')),
                property.substring(property.indexOf('=') + 1)));
        node2 = NodeProcess.start(node2Properties, Duration.ofSeconds(240), NODE2_PORT);

        KeycloakUsers keycloak = new KeycloakUsers(node1.bean(KeycloakAdmin.class), node1.bean(KeycloakProperties.class));
        Catalog catalog = new Catalog(node1.api(), keycloak, keycloak.newUserWithRealmRole("admin", "platform-admin"));
        wallet = catalog.registerWallet("Cluster Faults Wallet");
        workspace = Workspace.create(node1.api(), keycloak);
        for (int i = 0; i < APPS; i++) {
            String appId = workspace.createMiniProgram(workspace.owner, "Fault Tea " + i);
            catalog.fullRelease(workspace, appId, "1.0.0", wallet.id());
            APP_IDS.add(appId);
        }
        lb = HaproxyProcess.start(LB_PORT, STATS_PORT, linkedMap("node1", node1.port(), "node2", NODE2_PORT));
        lb.awaitStatus("node1", "UP", Duration.ofSeconds(30));
        lb.awaitStatus("node2", "UP", Duration.ofSeconds(30));
    }

    @AfterAll
    static void stop() throws Exception {
        if (lb != null) {
            lb.close();
        }
        if (node2 != null) {
            node2.close();
        }
        if (node1 != null) {
            node1.close();
        }
        REDIS.forEach(RedisProcess::destroy);
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void walletReadsNeverFailAndAcknowledgedWritesSurviveAnApiNodeAndARedisMasterDying() throws Exception {
        Load load = new Load(lb.baseUrl());
        Map<String, String> recovery = new LinkedHashMap<>();
        try {
            load.start();
            load.phase("steady");
            Thread.sleep(Long.getLong("platform.test.cluster-faults.steady-ms", 3000));

            load.phase("API node killed");
            node2.kill();
            long killedAt = System.nanoTime();
            Duration detected = lb.awaitStatus("node2", "DOWN", Duration.ofSeconds(20));
            recovery.put("API node: balancer marks it down", millis(detected));
            Thread.sleep(3000);

            load.phase("API node restarting");
            NodeProcess killed = node2;
            node2 = NodeProcess.start(node2Properties, Duration.ofSeconds(240), NODE2_PORT);
            killed.close();
            lb.awaitStatus("node2", "UP", Duration.ofSeconds(60));
            recovery.put("API node: back in rotation after the kill (process start included)", millis(Duration.ofNanos(System.nanoTime() - killedAt)));
            Thread.sleep(2000);

            load.phase("Redis master killed");
            RedisProcess master = firstMaster();
            master.kill();
            long redisKilledAt = System.nanoTime();
            awaitFailover(master, Duration.ofSeconds(30));
            recovery.put("Redis: a replica promoted, cluster ok", millis(Duration.ofNanos(System.nanoTime() - redisKilledAt)));
            awaitAppWritesEverywhere(Duration.ofSeconds(30));
            recovery.put("Redis: the API node's client writes to every slot again", millis(Duration.ofNanos(System.nanoTime() - redisKilledAt)));
            Thread.sleep(3000);

            load.phase("Redis old master rejoining");
            master.start();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!(master.role().equals("slave") && master.clusterOk()) && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(master.role()).as("the old master rejoins as a replica").isEqualTo("slave");
            recovery.put("Redis: old master back as a replica", millis(Duration.ofNanos(System.nanoTime() - redisKilledAt)));
            Thread.sleep(2000);

            load.phase("PostgreSQL replica killed");
            postgres.awaitCaughtUp(Duration.ofSeconds(10));
            long replicaKilledAt = System.nanoTime();
            postgres.killStandby();
            awaitTrue(() -> !ReplicaState.usable(node1), Duration.ofSeconds(20), "node 1 noticing the dead replica");
            recovery.put("PostgreSQL replica: node 1 reads the primary instead",
                    millis(Duration.ofNanos(System.nanoTime() - replicaKilledAt)));
            Thread.sleep(2000);

            load.phase("PostgreSQL replica restarting");
            long replicaRestartedAt = System.nanoTime();
            postgres.startStandby();
            long fromReplica = ReplicaState.replicaReads(node1);
            awaitTrue(() -> ReplicaState.usable(node1) && ReplicaState.replicaReads(node1) > fromReplica,
                    Duration.ofSeconds(30), "node 1 reading the replica again");
            recovery.put("PostgreSQL replica: node 1 reads it again after its restart began",
                    millis(Duration.ofNanos(System.nanoTime() - replicaRestartedAt)));
            Thread.sleep(1000);

            load.phase("steady after");
            Thread.sleep(2000);
        } finally {
            load.stop();
        }
        String report = load.report(recovery) + "\nHAProxy's log (server state changes, and requests that did not end normally):\n"
                + lb.unusualLog();
        System.out.println(report);
        Files.writeString(Path.of("target/cluster-faults.md"), report);

        for (Phase phase : load.phases) {
            assertThat(phase.walletFailed.get()).as("failed wallet reads during '%s': %s", phase.name, phase.failures)
                    .isZero();
            assertThat(phase.walletOk.get()).as("wallet reads answered during '%s'", phase.name).isPositive();
            assertThat(phase.consoleReadsFailed.get()).as("failed console reads during '%s': %s", phase.name, phase.failures)
                    .isZero();
            long allowedWriteFailures = phase.name.equals("API node killed") ? CONSOLE_CLIENTS : 0;
            assertThat(phase.consoleWritesFailed.get())
                    .as("console writes that failed during '%s' (only those in flight on a dying node may): %s",
                            phase.name, phase.failures)
                    .isLessThanOrEqualTo(allowedWriteFailures);
        }
        // every acknowledged write is there: each console client owns one mini program and its last acknowledged name
        // is what the platform answers now
        for (int client = 0; client < CONSOLE_CLIENTS; client++) {
            JsonNode current = load.get(load.consolePath(client)).body();
            assertThat(current.path("localizations").path("en-US").path("name").asString())
                    .as("mini program of console client %d", client)
                    .isEqualTo(load.lastAcknowledged[client].get());
        }
        assertThat(load.unresolvedWrites.get()).as("writes whose retries never got an answer").isZero();
        // and nothing stale after the faults: each node's wallet read of a renamed mini program shows its last name
        // (the invalidation travels over Redis pub/sub, and the change feed in PostgreSQL is the safety net)
        for (String node : List.of("http://127.0.0.1:" + node1.port(), node2.baseUrl())) {
            for (int client = 0; client < CONSOLE_CLIENTS; client++) {
                assertThat(walletName(node, APP_IDS.get(client), load.lastAcknowledged[client].get()))
                        .as("wallet read of console client %d's mini program on %s", client, node)
                        .isEqualTo(load.lastAcknowledged[client].get());
            }
        }
    }

    /** The English name a wallet read on {@code node} answers, polled for up to 5 s until it is {@code expected}. */
    private static String walletName(String node, String appId, String expected) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(node + "/wallet/v1/mini-programs/" + appId + "?environment=DEV"))
                .header("Authorization", "Bearer " + wallet.token())
                .header("Accept-Language", "en-US")
                .timeout(Duration.ofSeconds(5))
                .build();
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        String name;
        do {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            name = response.statusCode() == 200 ? JSON.readTree(response.body()).path("name").asString() : "HTTP " + response.statusCode();
            if (name.equals(expected)) {
                return name;
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        return name;
    }

    private static RedisProcess firstMaster() throws IOException, InterruptedException {
        for (RedisProcess redis : REDIS) {
            if (redis.role().equals("master")) {
                return redis;
            }
        }
        throw new IllegalStateException("no Redis master");
    }

    /** Until the dead master's replica is a master (three among the living) and every living node sees the cluster ok. */
    private static void awaitFailover(RedisProcess dead, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            List<RedisProcess> living = REDIS.stream().filter(redis -> redis != dead).toList();
            long masters = 0;
            for (RedisProcess redis : living) {
                masters += redis.role().equals("master") ? 1 : 0;
            }
            if (masters == REDIS_PORTS.length / 2 && living.stream().allMatch(RedisProcess::clusterOk)) {
                return;
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("the Redis Cluster did not fail over within " + timeout);
    }

    /**
     * Until this JVM's node writes keys of every slot range again through its own Lettuce cluster client, i.e. until it
     * has learnt the promoted replica's place (topology refresh): 64 keys spread over the slots must all be written.
     */
    private static void awaitAppWritesEverywhere(Duration timeout) throws InterruptedException {
        ReactiveStringRedisTemplate redis = node1.bean(ReactiveStringRedisTemplate.class);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                Long written = Flux.range(0, 64)
                        .flatMap(i -> redis.opsForValue().set("cluster-faults-probe-" + i, "1", Duration.ofMinutes(1)))
                        .filter(Boolean::booleanValue)
                        .count()
                        .block(Duration.ofSeconds(2));
                if (written != null && written == 64) {
                    return;
                }
            } catch (RuntimeException notYet) {
                // a key on a slot whose master the client still thinks is the dead one
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the node's Redis client did not reach every master within " + timeout);
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition, Duration timeout, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out after " + timeout + " waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    private static String millis(Duration duration) {
        return duration.toMillis() + " ms";
    }

    private static Map<String, Integer> linkedMap(String k1, int v1, String k2, int v2) {
        Map<String, Integer> map = new LinkedHashMap<>();
        map.put(k1, v1);
        map.put(k2, v2);
        return map;
    }

    /** Requests counted under the fault they ran under. */
    static final class Phase {
        final String name;
        final long startedAt = System.nanoTime();
        volatile long endedAt;
        final AtomicLong walletOk = new AtomicLong();
        final AtomicLong walletFailed = new AtomicLong();
        final AtomicLong consoleReadsOk = new AtomicLong();
        final AtomicLong consoleReadsFailed = new AtomicLong();
        final AtomicLong consoleWritesOk = new AtomicLong();
        final AtomicLong consoleWritesFailed = new AtomicLong();
        final AtomicLong writesRetried = new AtomicLong();
        final AtomicLong repeatsRefused = new AtomicLong();
        /** Requests the balancer answered by closing the connection, sent again by the client (see Load#send). */
        final AtomicLong closedWithoutAnswer = new AtomicLong();
        final AtomicLong maxLatencyMicros = new AtomicLong();
        final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();

        Phase(String name) {
            this.name = name;
        }

        void failure(String what) {
            if (failures.size() < 10) {
                failures.add(what);
            }
        }

        void latency(long startNanos) {
            maxLatencyMicros.accumulateAndGet((System.nanoTime() - startNanos) / 1000, Math::max);
        }
    }

    record Answer(int status, JsonNode body, String error) {
        boolean ok() {
            return status == 200;
        }
    }

    /**
     * The load: {@value #WALLET_CLIENTS} wallet clients reading the released mini programs (about 50 reads a second
     * each) and {@value #CONSOLE_CLIENTS} console clients, each renaming a mini program of its own (read, then write
     * with the revision read) and reading it back, about 10 times a second. Paced, so that a node can start meanwhile
     * on two cores.
     */
    static final class Load {
        final String base;
        // HTTP/1.1 as browsers and SDKs speak it to a balancer: the JDK client's default (HTTP/2) opens each connection
        // with an h2c upgrade request, which HAProxy closes unanswered when it carries a body (a write)
        final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2)).build();
        final List<Phase> phases = new java.util.concurrent.CopyOnWriteArrayList<>();
        final AtomicReference<Phase> current = new AtomicReference<>();
        final AtomicReference<String>[] lastAcknowledged;
        final AtomicLong unresolvedWrites = new AtomicLong();
        final List<Thread> threads = new ArrayList<>();
        volatile boolean running = true;

        @SuppressWarnings("unchecked")
        Load(String base) {
            this.base = base;
            this.lastAcknowledged = new AtomicReference[CONSOLE_CLIENTS];
        }

        void phase(String name) {
            Phase next = new Phase(name);
            Phase previous = current.getAndSet(next);
            if (previous != null) {
                previous.endedAt = System.nanoTime();
            }
            phases.add(next);
        }

        void start() {
            phase("warm-up");
            for (int i = 0; i < WALLET_CLIENTS; i++) {
                threads.add(Thread.ofPlatform().name("wallet-load-" + i).start(this::walletClient));
            }
            for (int i = 0; i < CONSOLE_CLIENTS; i++) {
                int client = i;
                lastAcknowledged[client] = new AtomicReference<>("Fault Tea " + client);
                threads.add(Thread.ofPlatform().name("console-load-" + i).start(() -> consoleClient(client)));
            }
        }

        void stop() throws InterruptedException {
            running = false;
            for (Thread thread : threads) {
                thread.join(Duration.ofSeconds(60));
            }
            current.get().endedAt = System.nanoTime();
            phases.removeIf(phase -> phase.name.equals("warm-up"));
        }

        String consolePath(int client) {
            return workspace.path("/mini-programs/" + APP_IDS.get(client));
        }

        /**
         * A wallet: mostly one mini program by id (a cache hit, or after a console rename a miss that reads the
         * replica), every third request the list or the change feed, which always read the replica while it is usable.
         */
        private void walletClient() {
            int request = 0;
            while (running) {
                String appId = APP_IDS.get(ThreadLocalRandom.current().nextInt(APP_IDS.size()));
                String path = switch (++request % 6) {
                    case 0 -> "/wallet/v1/mini-programs?environment=DEV&size=5";
                    case 3 -> "/wallet/v1/changes?environment=DEV&limit=5";
                    default -> "/wallet/v1/mini-programs/" + appId + "?environment=DEV";
                };
                Phase phase = current.get();
                long start = System.nanoTime();
                Answer answer = send(HttpRequest.newBuilder(URI.create(base + path))
                        .header("Authorization", "Bearer " + wallet.token()).GET());
                phase.latency(start);
                if (answer.ok()) {
                    phase.walletOk.incrementAndGet();
                } else {
                    phase.walletFailed.incrementAndGet();
                    phase.failure("wallet read " + path + ": " + answer.status() + " " + answer.error());
                }
                pause(20);
            }
        }

        private void consoleClient(int client) {
            int sequence = 0;
            while (running) {
                String name = "Fault Tea " + client + "-" + (++sequence);
                write(client, name);
                Phase phase = current.get();
                long start = System.nanoTime();
                Answer read = get(consolePath(client));
                phase.latency(start);
                if (read.ok()) {
                    phase.consoleReadsOk.incrementAndGet();
                } else {
                    phase.consoleReadsFailed.incrementAndGet();
                    phase.failure("console read: " + read.status() + " " + read.error());
                }
                pause(100);
            }
        }

        /**
         * A console client's rename, as a careful client does it: read the revision, write with it; when the write gets
         * no answer (the node died under it) read again — the name is there (the write was applied, its answer lost) or
         * it is not (write again, with the revision just read). Never applied twice: a stale revision is refused.
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
                Answer written = send(HttpRequest.newBuilder(URI.create(base + consolePath(client)))
                        .header("Authorization", "Bearer " + workspace.owner.accessToken())
                        .header("Content-Type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))));
                // counted under the phase it ended in: a write sent just before a node is killed and lost with it is
                // one in flight on the dying node, whatever phase it started in (a CI run read one as a steady failure)
                phase = current.get();
                phase.latency(start);
                if (written.ok()) {
                    phase.consoleWritesOk.incrementAndGet();
                    lastAcknowledged[client].set(name);
                    return;
                }
                if (attempt > 0 && written.status() == 409) {
                    // a repeat refused: the earlier attempt was applied after this client's read (or another change
                    // came between); the next read tells which
                    phase.repeatsRefused.incrementAndGet();
                    continue;
                }
                phase.consoleWritesFailed.incrementAndGet();
                phase.writesRetried.incrementAndGet();
                phase.failure("console write: " + written.status() + " " + written.error());
                pause(200);
            }
            unresolvedWrites.incrementAndGet();
        }

        Answer get(String path) {
            return send(HttpRequest.newBuilder(URI.create(base + path))
                    .header("Authorization", "Bearer " + workspace.owner.accessToken()).GET());
        }

        /**
         * One request, as a browser sends it: when the balancer closes a kept-alive connection without a byte of
         * answer, the request is sent once more on a new connection. HAProxy does that on purpose when the node's
         * side of a request that was not the connection's first failed (its {@code abort_keep_alive}: "the client is
         * required to retry"); browsers repeat any method then, the JDK client only GET and HEAD, so the PUT is
         * repeated here. A repeat cannot apply a rename twice (the revision), and it is counted.
         */
        private Answer send(HttpRequest.Builder request) {
            HttpRequest built = request.timeout(Duration.ofSeconds(15)).build();
            Answer answer = sendOnce(built);
            if (answer.status() == 0 && answer.error().contains("received no bytes")) {
                current.get().closedWithoutAnswer.incrementAndGet();
                current.get().failure("closed without an answer, sent again: " + built.method() + " " + built.uri().getPath());
                answer = sendOnce(built);
            }
            return answer;
        }

        private Answer sendOnce(HttpRequest request) {
            try {
                // generous: on two loaded cores a request may take seconds without anything having failed; a request
                // lost with a dead node is refused or reset at once, not slow
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                JsonNode body = response.statusCode() == 200 ? JSON.readTree(response.body()) : null;
                return new Answer(response.statusCode(), body, response.statusCode() == 200 ? "" : response.body());
            } catch (IOException e) {
                return new Answer(0, null, e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Answer(0, null, "interrupted");
            }
        }

        private static void pause(long millis) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        String report(Map<String, String> recovery) {
            StringBuilder text = new StringBuilder("\n## Cluster faults under load (ClusterFaultsIntegrationTest)\n\n")
                    .append("| phase | s | wallet reads ok | wallet failed | console reads ok/failed | console writes ok/failed | repeats refused (409) | closed unanswered, sent again | max latency ms |\n")
                    .append("|---|---|---|---|---|---|---|---|---|\n");
            for (Phase phase : phases) {
                text.append("| %s | %.1f | %d | %d | %d / %d | %d / %d | %d | %d | %d |%n".formatted(phase.name,
                        (phase.endedAt - phase.startedAt) / 1e9, phase.walletOk.get(), phase.walletFailed.get(),
                        phase.consoleReadsOk.get(), phase.consoleReadsFailed.get(), phase.consoleWritesOk.get(),
                        phase.consoleWritesFailed.get(), phase.repeatsRefused.get(), phase.closedWithoutAnswer.get(),
                        phase.maxLatencyMicros.get() / 1000));
            }
            text.append("\n| recovery | time |\n|---|---|\n");
            recovery.forEach((what, time) -> text.append("| ").append(what).append(" | ").append(time).append(" |\n"));
            phases.stream().filter(phase -> !phase.failures.isEmpty())
                    .forEach(phase -> text.append("\nFailures during ").append(phase.name).append(": ").append(phase.failures));
            return text.append('\n').toString();
        }
    }
}
