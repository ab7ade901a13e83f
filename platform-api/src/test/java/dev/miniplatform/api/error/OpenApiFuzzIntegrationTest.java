package dev.miniplatform.api.error;

import dev.miniplatform.api.support.CodePackagesForTests;
import dev.miniplatform.api.support.IntegrationTest;
import dev.miniplatform.api.support.Workspace;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactoryOptions;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.http.MediaType;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.web.reactive.function.BodyInserters;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Robustness: hundreds of malformed requests generated from the served OpenAPI document (fetched now, so a new
 * operation is covered without touching this test), sent with the token of a real workspace owner on one
 * keep-alive connection. Every answer must be below 500, every 4xx an RFC 9457 problem whose {@code status}
 * matches and which carries a request id, and no table of the database may differ afterwards (checked through a
 * superuser connection that row-level security does not filter). Seeded, so a failure replays. The owner's rate-limit
 * bucket is refilled before each operation: every request must reach the API, not stop at the limiter.
 */
class OpenApiFuzzIntegrationTest extends IntegrationTest {

    private static final long SEED = 20261122L;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @LocalServerPort
    int port;

    @Value("${spring.r2dbc.url}")
    String r2dbcUrl;

    @Autowired
    ReactiveStringRedisTemplate redis;

    @Test
    void malformedRequestsForEveryOperationGetProblemsAndChangeNothing() throws IOException {
        Workspace workspace = Workspace.create(api, keycloak);
        String appId = workspace.createMiniProgram(workspace.owner, "Fuzz Tea");
        uploadVersion(workspace, appId);
        JsonNode document = JSON.readTree(api.get().uri("/v3/api-docs").exchange()
                .expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody());
        OpenApiRequests generator = new OpenApiRequests(document,
                Map.of("tenantId", workspace.tenantId, "appId", appId, "version", "1.0.0",
                        "isvId", workspace.tenantId, "merchantId", workspace.tenantId),
                workspace.owner.accessToken(), SEED);
        List<OpenApiRequests.Operation> operations = generator.operations();
        Map<String, String> before = snapshot();

        long started = System.nanoTime();
        Map<Integer, Integer> histogram = new TreeMap<>();
        List<String> failures = new ArrayList<>();
        int sent = 0;
        RawHttpConnection connection = new RawHttpConnection(port, Duration.ofSeconds(15));
        try {
            for (OpenApiRequests.Operation operation : operations) {
                redis.delete("mpp:v1:rl:{user:" + workspace.owner.id() + "}").block(Duration.ofSeconds(5));
                for (OpenApiRequests.Malformed request : generator.malformed(operation)) {
                    RawHttpConnection.Response response;
                    try {
                        response = connection.exchange(request.request());
                    } catch (IOException noAnswer) {
                        failures.add(request.operation() + " [" + request.what() + "]: no answer (" + noAnswer.getMessage() + ")");
                        connection.close();
                        connection = new RawHttpConnection(port, Duration.ofSeconds(15));
                        continue;
                    }
                    sent++;
                    histogram.merge(response.status(), 1, Integer::sum);
                    check(request, response).ifPresent(failures::add);
                    if (response.closesConnection()) {
                        connection.close();
                        connection = new RawHttpConnection(port, Duration.ofSeconds(15));
                    }
                }
            }
        } finally {
            connection.close();
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        System.out.printf("OpenAPI fuzz: %d operations, %d requests in %d ms, statuses %s%n", operations.size(), sent, millis, histogram);

        assertThat(operations).as("operations in /v3/api-docs").hasSizeGreaterThan(20);
        assertThat(sent).isGreaterThanOrEqualTo(300);
        assertThat(histogram).as("statuses: none refused by the rate limiter").doesNotContainKey(429);
        assertThat(failures).as("requests answered wrongly").isEmpty();
        assertThat(snapshot()).as("rows of every table (count and checksum)").isEqualTo(before);
    }

    private static java.util.Optional<String> check(OpenApiRequests.Malformed request, RawHttpConnection.Response response) {
        String where = request.operation() + " [" + request.what() + "] → " + response.status();
        if (response.status() >= 500) {
            return java.util.Optional.of(where + ": server error " + response.body());
        }
        if (response.status() < 400) {
            return java.util.Optional.empty();
        }
        if (response.header("content-type") == null || !response.header("content-type").startsWith("application/problem+json")) {
            return java.util.Optional.of(where + ": not a problem body (" + response.header("content-type") + ")");
        }
        JsonNode problem;
        try {
            problem = JSON.readTree(response.body());
        } catch (RuntimeException unreadable) {
            return java.util.Optional.of(where + ": problem body is not JSON");
        }
        if (problem.path("status").asInt() != response.status()) {
            return java.util.Optional.of(where + ": problem status " + problem.path("status"));
        }
        if (problem.path("requestId").asString("").isEmpty()) {
            return java.util.Optional.of(where + ": problem without requestId");
        }
        return java.util.Optional.empty();
    }

    private void uploadVersion(Workspace workspace, String appId) {
        MultipartBodyBuilder parts = new MultipartBodyBuilder();
        parts.part("version", "1.0.0");
        parts.part("description", "first");
        parts.part("package", new ByteArrayResource(CodePackagesForTests.valid()) {
            @Override
            public String getFilename() {
                return "app.zip";
            }
        }).contentType(MediaType.parseMediaType("application/zip"));
        api.post().uri(workspace.path("/mini-programs/" + appId + "/versions"))
                .headers(h -> h.setBearerAuth(workspace.owner.accessToken()))
                .body(BodyInserters.fromMultipartData(parts.build()))
                .exchange()
                .expectStatus().isCreated();
    }

    /** Row count and an order-independent checksum of every table, read as the superuser (no RLS filtering). */
    private Map<String, String> snapshot() {
        ConnectionFactoryOptions options = ConnectionFactoryOptions.parse(r2dbcUrl).mutate()
                .option(ConnectionFactoryOptions.USER, "postgres")
                .build();
        return Mono.usingWhen(Mono.from(ConnectionFactories.get(options).create()),
                        this::snapshot,
                        connection -> Mono.from(connection.close()))
                .block(Duration.ofSeconds(60));
    }

    private Mono<Map<String, String>> snapshot(Connection connection) {
        return Flux.from(connection.createStatement("""
                        select tablename from pg_tables
                        where schemaname = 'public' and tablename <> 'flyway_schema_history' order by tablename""")
                        .execute())
                .flatMap(result -> result.map((row, meta) -> row.get("tablename", String.class)))
                .concatMap(table -> Flux.from(connection.createStatement(
                                "select count(*)::text || ':' || coalesce(md5(string_agg(md5(t::text), '' order by md5(t::text))), '-') "
                                        + "as digest from " + table + " t").execute())
                        .flatMap(result -> result.map((row, meta) -> Map.entry(table, row.get("digest", String.class)))))
                .collectMap(Map.Entry::getKey, Map.Entry::getValue, TreeMap::new);
    }
}
