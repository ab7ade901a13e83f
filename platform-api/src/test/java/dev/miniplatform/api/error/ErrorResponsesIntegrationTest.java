package dev.miniplatform.api.error;

import dev.miniplatform.api.support.IntegrationTest;
import dev.miniplatform.api.support.Workspace;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.dao.CannotAcquireLockException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.test.web.reactive.server.WebTestClient;

import java.io.IOException;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;

/**
 * Every refusal is an RFC 9457 problem with a request id, whoever refuses: Netty-facing limits, the URL firewall,
 * the security entry points, routing, parameter binding and the database. (Issue 7 §8.)
 */
@ExtendWith(OutputCaptureExtension.class)
class ErrorResponsesIntegrationTest extends IntegrationTest {

    @LocalServerPort
    int port;

    @Autowired
    ProblemExceptionHandler handler;

    Workspace workspace;
    String token;

    @BeforeEach
    void workspace() {
        workspace = Workspace.create(api, keycloak);
        token = workspace.owner.accessToken();
    }

    @Test
    void nulInAQueryParameterIs400NamingTheParameter() throws IOException {
        // sent raw: WebTestClient would encode the '%' and send the three characters "%00"
        assertNulRefused("/api/v1/industries?q=%00", "q");
        assertNulRefused(workspace.path("/mini-programs?page=1&size=5%00"), "size");
    }

    private void assertNulRefused(String target, String parameter) throws IOException {
        try (RawHttpConnection connection = new RawHttpConnection(port, Duration.ofSeconds(10))) {
            RawHttpConnection.Response response = connection.exchange(RawHttpConnection.request("GET", target, token, null, null));
            assertThat(response.status()).as(target).isEqualTo(400);
            assertThat(response.header("content-type")).startsWith("application/problem+json");
            assertThat(response.body()).contains("\"field\":\"" + parameter + "\"", "\"code\":\"characters\"",
                    "\"requestId\":\"" + response.header("x-request-id") + "\"");
        }
    }

    @Test
    void requestsTheUrlFirewallRefusesGetAProblemBody() throws IOException {
        for (String path : new String[]{"/api/v1/%00", "/api/v1/%2e%2e/tenants", "/api/v1/a%2Fb", "/api//v1/tenants",
                "/api/v1/tenants;jsessionid=1", "/api/v1/a%5cb", "/api/v1/a%zz", "/api/v1/industries?q=%zz", "/api/v1/a|b"}) {
            try (RawHttpConnection connection = new RawHttpConnection(port, Duration.ofSeconds(10))) {
                RawHttpConnection.Response response = connection.exchange(
                        RawHttpConnection.request("GET", path, token, null, null));
                assertThat(response.status()).as(path).isEqualTo(400);
                assertThat(response.header("content-type")).as(path).startsWith("application/problem+json");
                assertThat(response.body()).as(path).contains("\"status\":400", "\"requestId\":\"" + response.header("x-request-id") + "\"");
            }
        }
    }

    @Test
    void aTooLongUriIs414AndTooLargeHeadersAre431WithProblemBodies() {
        String longQuery = "x".repeat(9_000);
        problem(api.get().uri("/api/v1/industries?q=" + longQuery).headers(h -> h.setBearerAuth(token)).exchange(), 414);
        problem(api.get().uri("/api/v1/tenants").headers(h -> {
            h.setBearerAuth(token);
            h.set("X-Padding", "p".repeat(20_000));
        }).exchange(), 431);
    }

    @Test
    void a401ChallengesWithBearerAndSaysWhenTheTokenWasRejected() {
        problem(api.get().uri("/api/v1/tenants").exchange(), 401);
        api.get().uri("/api/v1/tenants").exchange()
                .expectHeader().valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"platform\"");
        problem(api.get().uri("/api/v1/tenants").headers(h -> h.setBearerAuth("not-a-jwt")).exchange(), 401);
        api.get().uri("/api/v1/tenants").headers(h -> h.setBearerAuth(token + "x")).exchange()
                .expectStatus().isUnauthorized()
                .expectHeader().value(HttpHeaders.WWW_AUTHENTICATE, containsString("error=\"invalid_token\""));
    }

    @Test
    void aTokenWithoutTheScopeIs403InsufficientScope() {
        problem(api.get().uri("/wallet/v1/mini-programs/mp123").headers(h -> h.setBearerAuth(token)).exchange(), 403);
        api.get().uri("/wallet/v1/mini-programs/mp123").headers(h -> h.setBearerAuth(token)).exchange()
                .expectHeader().value(HttpHeaders.WWW_AUTHENTICATE, containsString("error=\"insufficient_scope\""));
    }

    @Test
    void routingErrorsAreProblemsThatNameNoInternals() {
        problem(api.get().uri("/api/v1/no-such-resource").headers(h -> h.setBearerAuth(token)).exchange(), 404)
                .jsonPath("$.detail").value(not(containsString("static")));
        api.patch().uri("/api/v1/tenants").headers(h -> h.setBearerAuth(token)).exchange()
                .expectStatus().isEqualTo(405)
                .expectHeader().exists(HttpHeaders.ALLOW);
        problem(api.patch().uri("/api/v1/tenants").headers(h -> h.setBearerAuth(token)).exchange(), 405);
        problem(api.get().uri("/api/v1/tenants").headers(h -> h.setBearerAuth(token)).accept(MediaType.APPLICATION_XML).exchange(), 406);
        problem(api.post().uri("/api/v1/tenants").headers(h -> h.setBearerAuth(token))
                .contentType(MediaType.TEXT_PLAIN).bodyValue("kind=MERCHANT").exchange(), 415);
    }

    @Test
    void pagingParametersThatAreNotNumbersOrOutOfRangeAreNamed() {
        for (String query : new String[]{"page=abc", "page=-1", "size=-1", "size=100000", "size=1.5", "page=99999999999"}) {
            String field = query.substring(0, query.indexOf('='));
            problem(api.get().uri(workspace.path("/mini-programs?" + query)).headers(h -> h.setBearerAuth(token)).exchange(), 400)
                    .jsonPath("$.errors[0].field").isEqualTo(field);
        }
    }

    @Test
    void aJsonPropertyOfTheWrongTypeIsNamed() {
        problem(api.post().uri("/api/v1/tenants").headers(h -> h.setBearerAuth(token))
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"kind\": \"MERCHANT\", \"name\": {\"a\": 1}}").exchange(), 400)
                .jsonPath("$.errors[0].field").isEqualTo("name");
    }

    @Test
    void theLogLineOfAFailureCarriesTheRequestIdOfItsProblem(CapturedOutput output) {
        MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/api/v1/boom"));

        handler.handle(exchange, new IllegalStateException("boom for the log")).block(Duration.ofSeconds(5));

        String requestId = exchange.getRequest().getId();
        assertThat(exchange.getResponse().getStatusCode().value()).isEqualTo(500);
        assertThat(output.getOut().lines().filter(line -> line.contains("Unexpected failure serving GET /api/v1/boom")))
                .isNotEmpty()
                .allSatisfy(line -> assertThat(line).contains("ERROR", "[req=" + requestId + "]"));
    }

    @Test
    void aTransactionTheDatabaseAbortedAsADeadlockVictimIsA409NotA500() {
        MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.post("/api/v1/raced"));

        handler.handle(exchange, new CannotAcquireLockException("deadlock detected",
                new IllegalStateException("ERROR: deadlock detected (40P01)"))).block(Duration.ofSeconds(5));

        assertThat(exchange.getResponse().getStatusCode().value()).isEqualTo(409);
        assertThat(exchange.getResponse().getBodyAsString().block(Duration.ofSeconds(5)))
                .contains("send the request again").doesNotContain("40P01");
    }

    private WebTestClient.BodyContentSpec problem(WebTestClient.ResponseSpec response, int status) {
        return response
                .expectStatus().isEqualTo(status)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.status").isEqualTo(status)
                .jsonPath("$.requestId").isNotEmpty();
    }
}
