package dev.miniplatform.api.ops;

import dev.miniplatform.api.support.IntegrationTest;
import dev.miniplatform.auth.config.OperatorAccess;
import org.assertj.core.api.InstanceOfAssertFactories;
import io.lettuce.core.resource.ClientResources;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import reactor.blockhound.BlockingOperationError;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

class OperationsIntegrationTest extends IntegrationTest {

    @Test
    void operatorSeesPostgresRedisAndKeycloakUpWithDetails() {
        String operator = keycloak.newUserWithRealmRole("operator", OperatorAccess.ROLE).accessToken();

        api.get().uri("/actuator/health")
                .headers(headers -> headers.setBearerAuth(operator))
                .exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.status").isEqualTo("UP")
                .jsonPath("$.components.r2dbc.status").isEqualTo("UP")
                .jsonPath("$.components.r2dbc.details").exists()
                .jsonPath("$.components.redis.status").isEqualTo("UP")
                .jsonPath("$.components.keycloak.status").isEqualTo("UP");
    }

    @Test
    void anonymousHealthIsTheStatusAndNothingElse() {
        Map<String, Object> body = api.get().uri("/actuator/health")
                .exchange()
                .expectStatus().isOk()
                .expectBody(new ParameterizedTypeReference<Map<String, Object>>() {
                })
                .returnResult()
                .getResponseBody();

        // the probe groups' names are listed (they are public paths anyway); no component, no detail
        assertThat(body).containsEntry("status", "UP").containsOnlyKeys("status", "groups");
        assertThat(body.get("groups")).asInstanceOf(InstanceOfAssertFactories.LIST)
                .containsExactlyInAnyOrder("liveness", "readiness");
        api.get().uri("/actuator/health/readiness")
                .exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.status").isEqualTo("UP")
                .jsonPath("$.components").doesNotExist();
    }

    @Test
    void aSignedInPersonWithoutTheOperatorRoleSeesOnlyTheStatus() {
        String person = keycloak.newUser("not-operator").accessToken();

        api.get().uri("/actuator/health")
                .headers(headers -> headers.setBearerAuth(person))
                .exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.status").isEqualTo("UP")
                .jsonPath("$.components").doesNotExist()
                .jsonPath("$.details").doesNotExist();
    }

    @Test
    void prometheusExposesJvmAndHttpMetricsToOperatorsOnly() {
        String operator = keycloak.newUserWithRealmRole("operator", OperatorAccess.ROLE).accessToken();
        String person = keycloak.newUser("not-operator").accessToken();
        api.get().uri("/actuator/health").exchange().expectStatus().isOk();

        api.get().uri("/actuator/prometheus")
                .exchange()
                .expectStatus().isUnauthorized();
        api.get().uri("/actuator/prometheus")
                .headers(headers -> headers.setBearerAuth(person))
                .exchange()
                .expectStatus().isForbidden();
        api.get().uri("/actuator/prometheus")
                .headers(headers -> headers.setBearerAuth(operator))
                .exchange()
                .expectStatus().isOk()
                .expectBody(String.class)
                .value(containsString("jvm_memory_used_bytes"))
                .value(containsString("http_server_requests_seconds"));
    }

    @Test
    void redisCommandsAreTimedByTheObservationNotByLettucesOwnHistogram(@Autowired LettuceConnectionFactory redis) {
        // HdrHistogram and LatencyUtils are on this class path (as in the -dev jar): Lettuce would record every
        // command into its own histogram unless told not to (decision 167)
        assertThat(redis.getClientConfiguration().getClientResources())
                .map(ClientResources::commandLatencyRecorder)
                .hasValueSatisfying(recorder -> assertThat(recorder.isEnabled()).isFalse());
        String operator = keycloak.newUserWithRealmRole("operator", OperatorAccess.ROLE).accessToken();
        api.get().uri("/actuator/health")
                .headers(headers -> headers.setBearerAuth(operator))
                .exchange()
                .expectStatus().isOk();

        api.get().uri("/actuator/prometheus")
                .headers(headers -> headers.setBearerAuth(operator))
                .exchange()
                .expectStatus().isOk()
                .expectBody(String.class)
                .value(containsString("lettuce_seconds_count"));
    }

    @Test
    void openApiDocumentDescribesTheTenantEndpoints() {
        api.get().uri("/v3/api-docs")
                .exchange()
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
                .expectBody()
                .jsonPath("$.paths['/api/v1/tenants'].post").exists()
                .jsonPath("$.paths['/api/v1/tenants'].get").exists()
                // the two hot reads are functional routes: documented by @RouterOperation, beside the annotated ones
                .jsonPath("$.paths['/api/v1/tenants/{tenantId}/mini-programs/{appId}'].get.operationId").isEqualTo("getMiniProgram")
                .jsonPath("$.paths['/api/v1/tenants/{tenantId}/mini-programs/{appId}'].put").exists()
                .jsonPath("$.paths['/wallet/v1/mini-programs/{appId}'].get.operationId").isEqualTo("getWalletMiniProgram");
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
