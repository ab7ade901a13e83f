package dev.miniplatform.api.hostile;

import dev.miniplatform.api.support.IntegrationTest;
import dev.miniplatform.api.support.Workspace;
import dev.miniplatform.infra.transaction.TenantTransactions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.JsonNode;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 16, item 1: an ISV's schema pattern pinned both cores for minutes ({@code ^((a+)\2?)+$} against 26 a's and
 * a '!'). Each test here fails on the code before the fix by its wall-clock bound (the client gives up after 30 s,
 * java.util.regex needs hours for 30 a's) and asserts the server's CPU with a margin of orders of magnitude.
 */
class RegexCpuAttackIntegrationTest extends IntegrationTest {

    static final String EVIL_PATTERN = "^((a+)\\\\2?)+$";
    static final String EVIL_SCHEMA = """
            {"type": "object", "properties": {"x": {"type": "string", "pattern": "%s"}}}""".formatted(EVIL_PATTERN);
    static final String BENIGN_SCHEMA = """
            {"type": "object", "properties": {"x": {"type": "string", "pattern": "^a+$"}}}""";
    /** Each two more characters multiply java.util.regex's time by about five: 30 take hours. */
    static final Map<String, Object> ATTACK = Map.of("x", "a".repeat(30) + "!");

    /** Generous for a check that takes milliseconds; the attack took minutes of CPU per request before. */
    static final Duration CPU_BOUND = Duration.ofSeconds(10);

    @Autowired
    TenantTransactions transactions;

    @Autowired
    DatabaseClient database;

    IsvTemplate isv;

    @BeforeEach
    void anIsvWithATemplate() {
        isv = IsvTemplate.create(api, keycloak);
    }

    @Test
    void aCatastrophicPatternIsRefusedAtUploadNamingItsPlace() {
        isv.uploadVersion("1.0.0", EVIL_SCHEMA)
                .expectStatus().isBadRequest()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.errors[0].field").isEqualTo("extSchema/properties/x/pattern")
                .jsonPath("$.errors[0].code").isEqualTo("pattern");

        api.get().uri(isv.templatePath("/versions"))
                .headers(h -> h.setBearerAuth(isv.owner().accessToken()))
                .exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$").isEmpty();
    }

    @Test
    void schemasThatExplodeOrReachOutAreRefusedAtUpload() {
        String doubling = IntStream.range(0, 30)
                .mapToObj(i -> "\"d%d\": {\"anyOf\": [{\"$ref\": \"#/$defs/d%d\"}, {\"$ref\": \"#/$defs/d%d\"}]}".formatted(i, i + 1, i + 1))
                .collect(Collectors.joining(","));
        Map<String, String> refused = Map.of(
                "{\"$defs\": {" + doubling + ", \"d30\": {\"type\": \"string\"}}, \"$ref\": \"#/$defs/d0\"}", "subschemas",
                "{\"properties\": {\"tree\": {\"$ref\": \"#\"}}}", "ref-cycle",
                "{\"$id\": \"https://169.254.169.254/latest/\", \"$ref\": \"#/$defs/a\", \"$defs\": {\"a\": {}}}", "keyword",
                "{\"patternProperties\": {\"(?<=a)b\": {}}}", "pattern");

        refused.forEach((schema, code) -> isv.uploadVersion("1.0.0", schema)
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].code").isEqualTo(code));
    }

    @Test
    void aCatastrophicPatternStoredBeforeTheCheckExistedCostsABoundedTime() {
        isv.uploadVersion("1.0.0", BENIGN_SCHEMA).expectStatus().isCreated();
        isv.storeAsIfUploadedEarlier(transactions, database, "1.0.0", EVIL_SCHEMA, "CREATED");

        long cpuBefore = processCpuNanos();
        List<JsonNode> answers = Flux.range(0, 4)
                .flatMap(i -> Mono.fromCallable(() -> isv.post(isv.templatePath("/versions/1.0.0/ext-config-check"), ATTACK)
                                .expectStatus().isBadRequest()
                                .expectBody(JsonNode.class).returnResult().getResponseBody())
                        .subscribeOn(Schedulers.boundedElastic()), 4)
                .collectList()
                .block(Duration.ofSeconds(60));
        Duration cpu = Duration.ofNanos(processCpuNanos() - cpuBefore);
        System.out.printf("[regex-cpu] four parallel checks against a stored ^((a+)\\2?)+$: %d ms of process CPU%n", cpu.toMillis());

        // refused for its schema, which is parsed again before it checks anything: never handed to java.util.regex
        assertThat(answers).allSatisfy(problem -> assertThat(problem.get("errors").get(0).get("field").asString())
                .isEqualTo("extSchema/properties/x/pattern"));
        assertThat(cpu).as("CPU time of the whole JVM during four parallel attacks").isLessThan(CPU_BOUND);
    }

    @Test
    void theSameStoredPatternCannotHoldTheCpuAtJobCreation() {
        isv.uploadVersion("1.0.0", BENIGN_SCHEMA).expectStatus().isCreated();
        isv.storeAsIfUploadedEarlier(transactions, database, "1.0.0", EVIL_SCHEMA, "APPROVED");
        List<Map<String, Object>> items = IntStream.range(0, 3)
                .mapToObj(i -> Map.<String, Object>of("merchant", UUID.randomUUID().toString(), "extConfig", ATTACK,
                        "miniProgram", Workspace.validMiniProgram("Tea " + i)))
                .toList();

        long cpuBefore = processCpuNanos();
        api.post().uri("/api/v1/tenants/" + isv.tenantId() + "/batch-jobs")
                .headers(h -> {
                    h.setBearerAuth(isv.owner().accessToken());
                    h.set("Idempotency-Key", UUID.randomUUID().toString());
                })
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("kind", "APPLY_TEMPLATE", "template", isv.templateId(), "version", "1.0.0", "items", items))
                .exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("extSchema/properties/x/pattern");

        Duration cpu = Duration.ofNanos(processCpuNanos() - cpuBefore);
        System.out.printf("[regex-cpu] job creation against the stored pattern: %d ms of process CPU%n", cpu.toMillis());
        assertThat(cpu).isLessThan(CPU_BOUND);
    }

    @Test
    void aLinearButCostlyPatternIsCutAtTheCheckBudget() {
        // RE2 matches this in linear time, but 0.2 to 0.4 s per 16,000-character string (and java.util.regex never
        // finishes it): fourteen such strings would hold a core for seconds without the budget
        isv.uploadVersion("1.0.0", """
                {"type": "object", "properties": {"x": {"type": "array", "items": {"pattern": "(\\\\w|[a-z]|[^b]|.){0,100}$"}}}}""")
                .expectStatus().isCreated();
        Map<String, Object> costly = Map.of("x", Collections.nCopies(14, "b".repeat(16_000)));

        long cpuBefore = processCpuNanos();
        isv.post(isv.templatePath("/versions/1.0.0/ext-config-check"), costly)
                .expectStatus().isBadRequest()
                .expectBody()
                .jsonPath("$.errors[0].field").isEqualTo("extConfig")
                .jsonPath("$.errors[0].code").isEqualTo("budget");
        Duration cpu = Duration.ofNanos(processCpuNanos() - cpuBefore);
        System.out.printf("[regex-cpu] a costly linear pattern over 14 x 16,000 characters: %d ms of process CPU%n", cpu.toMillis());

        // the budget is 250 ms of the checking thread's CPU; the rest is the request and the test client
        assertThat(cpu).isLessThan(Duration.ofSeconds(5));
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }
}
