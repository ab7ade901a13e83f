package dev.miniplatform.api.demo;

import dev.miniplatform.api.demo.DemoData.SeededIsv;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;
import reactor.util.function.Tuples;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The demo ISV's side of the marketplace, set up the way an ISV and a platform admin do it: through the platform's
 * own API with their real (password-grant, dev-only) tokens, so the dev run shows exactly what the API allows.
 * Lakeside Software registers its application and a development service; the platform admin approves the service,
 * which puts it in the marketplace for the demo merchant to authorize.
 */
final class DemoIsv {

    /** Where {@code bin/isv-demo-receiver} listens, printing the code and the webhooks (PKCE verifier included). */
    static final String REDIRECT_URI = "http://127.0.0.1:9876/callback";
    static final String WEBHOOK_URL = "http://127.0.0.1:9876/hooks";
    static final String SERVICE_NAME = "Lakeside Mini Program Studio";
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(20);

    private final WebClient api;
    private final WebClient tokens;

    DemoIsv(String apiBaseUrl, String issuer) {
        this.api = WebClient.create(apiBaseUrl);
        this.tokens = WebClient.create(issuer + "/protocol/openid-connect/token");
    }

    Mono<SeededIsv> seed() {
        // one call at a time: nothing to gain from parallel calls at start-up, and it keeps two first-time Jackson
        // deserializer builds from waiting on each other's lock on an event loop
        return token("isv-owner", "demo-isv")
                .zipWhen(isvToken -> token("platform-admin", "demo-admin"))
                .flatMap(both -> isvWorkspace(both.getT1())
                        // one after the other: a service needs the registered application
                        .flatMap(isvId -> application(both.getT1(), isvId)
                                .flatMap(application -> service(both.getT1(), isvId)
                                        .map(serviceId -> Tuples.of(application, serviceId))))
                        .flatMap(created -> approve(both.getT2(), created.getT2())
                                .thenReturn(new SeededIsv(created.getT1().path("clientId").asString(),
                                        created.getT1().path("clientSecret").asString(), REDIRECT_URI,
                                        created.getT2(), SERVICE_NAME))));
    }

    private Mono<String> token(String username, String password) {
        return tokens.post()
                .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .body(BodyInserters.fromFormData("grant_type", "password")
                        .with("client_id", "platform-cli")
                        .with("username", username)
                        .with("password", password))
                .retrieve()
                .bodyToMono(JsonNode.class)
                .map(body -> body.path("access_token").asString())
                .timeout(CALL_TIMEOUT);
    }

    private Mono<String> isvWorkspace(String token) {
        return api.get().uri("/api/v1/tenants")
                .headers(h -> h.setBearerAuth(token))
                .retrieve()
                .bodyToMono(JsonNode.class)
                .flatMap(workspaces -> workspaces.valueStream()
                        .filter(workspace -> "ISV".equals(workspace.path("kind").asString()))
                        .map(workspace -> workspace.path("id").asString())
                        .findFirst()
                        .map(Mono::just)
                        .orElseGet(() -> Mono.error(new IllegalStateException("isv-owner has no ISV workspace"))))
                .timeout(CALL_TIMEOUT);
    }

    private Mono<JsonNode> application(String token, String isvId) {
        return api.put().uri("/api/v1/tenants/{isvId}/isv-application", isvId)
                .headers(h -> h.setBearerAuth(token))
                .bodyValue(Map.of("name", "Lakeside Software", "redirectUris", List.of(REDIRECT_URI), "webhookUrl", WEBHOOK_URL))
                .retrieve()
                .bodyToMono(JsonNode.class)
                .timeout(CALL_TIMEOUT);
    }

    private Mono<String> service(String token, String isvId) {
        return firstIndustry(token)
                .flatMap(industry -> api.post().uri("/api/v1/tenants/{isvId}/services", isvId)
                        .headers(h -> h.setBearerAuth(token))
                        .bodyValue(Map.of("type", "DEVELOPMENT", "name", SERVICE_NAME,
                                "description", "We build and run your mini program for you.",
                                "industries", List.of(industry),
                                "scopes", List.of("miniprogram:read", "miniprogram:write", "miniprogram:release")))
                        .retrieve()
                        .bodyToMono(JsonNode.class))
                .map(created -> created.path("id").asString())
                .timeout(CALL_TIMEOUT);
    }

    private Mono<String> firstIndustry(String token) {
        return api.get().uri("/api/v1/industries")
                .headers(h -> h.setBearerAuth(token))
                .retrieve()
                .bodyToMono(JsonNode.class)
                .map(industries -> industries.valueStream()
                        .filter(industry -> industry.path("selectable").asBoolean())
                        .map(industry -> industry.path("code").asString())
                        .findFirst()
                        .orElseThrow(() -> new IllegalStateException("the industry catalog has no selectable entry")))
                .timeout(CALL_TIMEOUT);
    }

    private Mono<Void> approve(String adminToken, String serviceId) {
        return api.post().uri("/api/v1/admin/services/{serviceId}/approve", serviceId)
                .headers(h -> h.setBearerAuth(adminToken))
                .bodyValue(Map.of())
                .retrieve()
                .toBodilessEntity()
                .timeout(CALL_TIMEOUT)
                .then();
    }
}
