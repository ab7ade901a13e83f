package dev.miniplatform.api.hostile;

import dev.miniplatform.api.support.IntegrationTest;
import dev.miniplatform.api.support.KeycloakUsers.TestUser;
import dev.miniplatform.infra.transaction.TenantContext;
import dev.miniplatform.infra.transaction.TenantTransactions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 16, item 6: "streams without bounds". Each open batch-job event stream polls the database; a caller may hold
 * only a few, a node only so many, and every stream ends after its lifetime even while its job still runs. Small
 * bounds for this class only (its own Spring context): two streams per caller, three per node, a 10 s lifetime.
 * The job is one that hangs (its one item leased for an hour by a node that never finishes it), so nothing but the
 * bounds ends a stream. The context is closed after the class, and its connection pool kept small, so that it
 * costs the rest of the suite nothing.
 */
@TestPropertySource(properties = {
        "platform.batch.streams.max-per-caller=2",
        "platform.batch.streams.max-per-node=3",
        "platform.batch.streams.max-lifetime=10s",
        "spring.r2dbc.pool.max-size=5"})
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class EventStreamAttackIntegrationTest extends IntegrationTest {

    private static final Duration LIFETIME = Duration.ofSeconds(10);

    @LocalServerPort
    int port;

    @Autowired
    TenantTransactions transactions;

    @Autowired
    DatabaseClient database;

    private final List<Disposable> open = new ArrayList<>();

    @AfterEach
    void closeStreams() {
        open.forEach(Disposable::dispose);
    }

    /** An ISV workspace's owner and a job of that workspace that stays RUNNING. */
    private record Watcher(TestUser owner, String isvId, String jobId) {

        String events() {
            return "/api/v1/tenants/" + isvId + "/batch-jobs/" + jobId + "/events";
        }
    }

    /** A stream held open by the test: events seen, when it was opened and when it ended (0 while open). */
    private record Stream(AtomicInteger events, long openedAt, AtomicLong endedAt) {

        boolean ended() {
            return endedAt.get() != 0;
        }
    }

    @Test
    void aCallerAndANodeHoldOnlySoManyStreamsAndEveryStreamEnds() {
        Watcher first = watcherWithAHangingJob("first");
        Watcher second = watcherWithAHangingJob("second");

        List<Stream> held = new ArrayList<>(List.of(hold(first), hold(first)));
        assertRefused(first, "You have 2 event streams open");
        // another caller still opens theirs …
        held.add(hold(second));
        // … until the node holds as many as it serves
        assertRefused(second, "This node has as many event streams open");
        assertThat(held).as("streams still open while the bounds were tested (a saturated machine took > %s?)", LIFETIME)
                .noneMatch(Stream::ended);

        await(() -> held.stream().allMatch(Stream::ended), LIFETIME.plusSeconds(30), "every stream ends after its lifetime");
        held.forEach(stream -> assertThat(Duration.ofNanos(stream.endedAt().get() - stream.openedAt()))
                .as("how long a stream lived").isBetween(LIFETIME.minusSeconds(1), LIFETIME.plusSeconds(30)));
        job(first).expectBody().jsonPath("$.state").isEqualTo("RUNNING");
        // their places are free again
        hold(first);
        hold(second);
    }

    private Stream hold(Watcher watcher) {
        AtomicInteger events = new AtomicInteger();
        AtomicLong endedAt = new AtomicLong();
        long openedAt = System.nanoTime();
        open.add(WebClient.create("http://127.0.0.1:" + port).get()
                .uri(watcher.events())
                .accept(MediaType.TEXT_EVENT_STREAM)
                .headers(h -> h.setBearerAuth(watcher.owner().accessToken()))
                .retrieve()
                .bodyToFlux(new ParameterizedTypeReference<ServerSentEvent<String>>() {
                })
                .doOnNext(event -> events.incrementAndGet())
                .doFinally(signal -> endedAt.set(System.nanoTime()))
                .subscribe(event -> {
                }, failure -> {
                }));
        Stream stream = new Stream(events, openedAt, endedAt);
        await(() -> events.get() > 0 || stream.ended(), Duration.ofSeconds(30), "the stream's first event");
        assertThat(stream.ended()).as("the stream of %s ended at once", watcher.jobId()).isFalse();
        return stream;
    }

    /** The answer to one more stream: if it opened, only its first event is read (it would never end). */
    private record Answer(int status, HttpHeaders headers, JsonNode problem) {
    }

    private void assertRefused(Watcher watcher, String detail) {
        Answer answer = WebClient.create("http://127.0.0.1:" + port).get()
                .uri(watcher.events())
                .accept(MediaType.TEXT_EVENT_STREAM)
                .headers(h -> h.setBearerAuth(watcher.owner().accessToken()))
                .exchangeToMono(response -> response.statusCode().value() == 200
                        ? response.bodyToFlux(String.class).take(1).then(Mono.just(new Answer(200, response.headers().asHttpHeaders(), null)))
                        : response.bodyToMono(JsonNode.class)
                        .map(problem -> new Answer(response.statusCode().value(), response.headers().asHttpHeaders(), problem)))
                .block(Duration.ofSeconds(30));
        assertThat(answer.status()).as("one stream more than allowed (%s)", detail).isEqualTo(429);
        assertThat(answer.headers().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(answer.headers().getFirst(HttpHeaders.RETRY_AFTER)).isNotBlank();
        assertThat(answer.problem().get("type").asString()).endsWith("rate-limited");
        assertThat(answer.problem().get("detail").asString()).startsWith(detail);
    }

    private org.springframework.test.web.reactive.server.WebTestClient.ResponseSpec job(Watcher watcher) {
        return api.get().uri("/api/v1/tenants/" + watcher.isvId() + "/batch-jobs/" + watcher.jobId())
                .headers(h -> h.setBearerAuth(watcher.owner().accessToken()))
                .exchange()
                .expectStatus().isOk();
    }

    /**
     * A fresh ISV workspace with a job whose one item a node leased for an hour and never finishes: the job stays
     * RUNNING, as one whose node hangs would (written in the workspace's own tenant, as the API writes jobs).
     */
    private Watcher watcherWithAHangingJob(String name) {
        TestUser owner = keycloak.newUser("isv-" + name);
        String isvId = api.post().uri("/api/v1/tenants")
                .headers(h -> h.setBearerAuth(owner.accessToken()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("kind", "ISV", "name", "Streaming ISV " + UUID.randomUUID().toString().substring(0, 8)))
                .exchange()
                .expectStatus().isCreated()
                .expectBody(JsonNode.class).returnResult().getResponseBody().get("id").asString();
        UUID tenant = UUID.fromString(isvId);
        UUID job = UUID.randomUUID();
        transactions.inTransaction(database.sql("""
                                insert into batch_jobs (tenant_id, id, kind, state, idempotency_key, request_sha256, total,
                                                        created_by, created_at, updated_at)
                                values ($1, $2, 'RELEASE', 'RUNNING', $3, $4, 1, $5, now(), now())""")
                        .bind(0, tenant)
                        .bind(1, job)
                        .bind(2, "hanging-" + job)
                        .bind(3, "0".repeat(64))
                        .bind(4, owner.id())
                        .then()
                        .then(database.sql("""
                                        insert into batch_job_items (tenant_id, job_id, seq, merchant_id, state, attempts,
                                                                     lease_until, leased_by, updated_at)
                                        values ($1, $2, 0, $3, 'RUNNING', 1, now() + interval '1 hour', 'a hung node', now())""")
                                .bind(0, tenant)
                                .bind(1, job)
                                .bind(2, UUID.randomUUID())
                                .then()))
                .contextWrite(TenantContext.forTenant(tenant, null))
                .block(Duration.ofSeconds(30));
        Watcher watcher = new Watcher(owner, isvId, job.toString());
        job(watcher).expectBody().jsonPath("$.state").isEqualTo("RUNNING");
        return watcher;
    }

    private static void await(BooleanSupplier condition, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited %s for %s", timeout, what).isLessThan(deadline);
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
