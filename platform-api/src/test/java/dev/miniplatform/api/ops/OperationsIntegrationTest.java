package dev.miniplatform.api.ops;

import dev.miniplatform.api.support.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import reactor.blockhound.BlockingOperationError;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

import static org.hamcrest.Matchers.containsString;

class OperationsIntegrationTest extends IntegrationTest {

    @Test
    void healthReportsPostgresRedisAndKeycloakUp() {
        api.get().uri("/actuator/health")
                .exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.status").isEqualTo("UP")
                .jsonPath("$.components.r2dbc.status").isEqualTo("UP")
                .jsonPath("$.components.redis.status").isEqualTo("UP")
                .jsonPath("$.components.keycloak.status").isEqualTo("UP");
    }

    @Test
    void prometheusExposesJvmAndHttpMetrics() {
        api.get().uri("/actuator/health").exchange().expectStatus().isOk();

        api.get().uri("/actuator/prometheus")
                .exchange()
                .expectStatus().isOk()
                .expectBody(String.class)
                .value(containsString("jvm_memory_used_bytes"))
                .value(containsString("http_server_requests_seconds"));
    }

    @Test
    void openApiDocumentDescribesTheTenantEndpoints() {
        api.get().uri("/v3/api-docs")
                .exchange()
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
                .expectBody()
                .jsonPath("$.paths['/api/v1/tenants'].post").exists()
                .jsonPath("$.paths['/api/v1/tenants'].get").exists();
    }

    @Test
    void swaggerUiIsServed() {
        api.get().uri("/swagger-ui.html")
                .exchange()
                .expectStatus().is3xxRedirection();
    }

    @Test
    void everyResponseCarriesARequestId() {
        api.get().uri("/actuator/health")
                .exchange()
                .expectHeader().exists("X-Request-Id");
    }

    @Test
    void blockHoundIsWatchingNonBlockingThreads() {
        Mono<String> blocking = Mono.fromCallable(() -> {
                    Thread.sleep(1);
                    return "slept";
                })
                .subscribeOn(Schedulers.parallel());

        StepVerifier.create(blocking)
                .expectError(BlockingOperationError.class)
                .verify();
    }
}
