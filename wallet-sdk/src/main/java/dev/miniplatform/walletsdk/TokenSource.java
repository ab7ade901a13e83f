package dev.miniplatform.walletsdk;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The wallet's access token from Keycloak (client credentials grant), kept until it is due for renewal: at 80 %
 * of its lifetime, and at the latest 30 s before it expires. One renewal at a time: concurrent callers that find
 * the token due wait for the one renewal under way instead of each asking Keycloak. When a renewal fails while
 * the old token is still valid, the old one is used (and renewal tried again by the next call).
 */
final class TokenSource {

    private static final Logger log = LoggerFactory.getLogger(TokenSource.class);
    private static final Duration LATEST_BEFORE_EXPIRY = Duration.ofSeconds(30);

    record Token(String value, Instant renewAt, Instant expiresAt) {
    }

    private final HttpClient http;
    private final URI tokenUrl;
    private final String form;
    private final Clock clock;
    private final JsonMapper json;
    private final SdkMetrics metrics;
    private final ReentrantLock renewal = new ReentrantLock();
    private volatile Token current;

    TokenSource(HttpClient http, URI tokenUrl, String clientId, String clientSecret, String scope, Clock clock,
                JsonMapper json, SdkMetrics metrics) {
        this.http = http;
        this.tokenUrl = tokenUrl;
        this.form = "grant_type=client_credentials&client_id=" + encode(clientId) + "&client_secret=" + encode(clientSecret)
                + (scope == null ? "" : "&scope=" + encode(scope));
        this.clock = clock;
        this.json = json;
        this.metrics = metrics;
    }

    /** A token valid now; renews it first when due. {@code remaining} bounds the wait for Keycloak. */
    String token(Duration remaining) throws IOException, InterruptedException {
        Token token = current;
        if (token != null && clock.instant().isBefore(token.renewAt())) {
            return token.value();
        }
        if (!renewal.tryLock(remaining.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new java.net.http.HttpTimeoutException("waiting for the token renewal under way");
        }
        try {
            token = current;
            Instant now = clock.instant();
            if (token != null && now.isBefore(token.renewAt())) {
                return token.value();
            }
            try {
                current = fetch(remaining);
                return current.value();
            } catch (IOException | RuntimeException e) {
                if (token != null && now.isBefore(token.expiresAt())) {
                    log.warn("Token renewal failed; using the current token until it expires at {}: {}", token.expiresAt(), e.toString());
                    return token.value();
                }
                throw e;
            }
        } finally {
            renewal.unlock();
        }
    }

    /** The platform refused this token (401): forget it, so the next call fetches a new one. */
    void invalidate(String value) {
        Token token = current;
        if (token != null && token.value().equals(value)) {
            current = null;
        }
    }

    private Token fetch(Duration remaining) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(tokenUrl)
                .timeout(remaining)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build();
        Instant issued = clock.instant();
        HttpResponse<byte[]> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            metrics.tokenRefresh("error");
            throw e;
        }
        if (response.statusCode() >= 500) {
            metrics.tokenRefresh("error");
            // Keycloak unwell: a transient failure, retried by the call like any other
            throw new IOException("Keycloak's token endpoint answered HTTP " + response.statusCode());
        }
        if (response.statusCode() != 200) {
            metrics.tokenRefresh("refused");
            // 4xx: wrong id or secret, disabled client; never retried by the SDK, a caller's configuration error
            throw new WalletApiException("Keycloak refused the client credentials grant: HTTP " + response.statusCode()
                    + " " + new String(response.body(), StandardCharsets.UTF_8), response.statusCode(), null, null);
        }
        JsonNode body = json.readTree(response.body());
        long lifetimeSeconds = body.path("expires_in").asLong(60);
        Duration lifetime = Duration.ofSeconds(Math.max(1, lifetimeSeconds));
        metrics.tokenRefresh("ok");
        return new Token(body.path("access_token").asString(), issued.plus(renewAfter(lifetime)), issued.plus(lifetime));
    }

    /** At 80 % of the lifetime, at the latest 30 s before expiry; half-way for tokens too short for that. */
    static Duration renewAfter(Duration lifetime) {
        Duration early = Duration.ofMillis(lifetime.toMillis() / 5);
        Duration renewIn = lifetime.minus(early.compareTo(LATEST_BEFORE_EXPIRY) > 0 ? early : LATEST_BEFORE_EXPIRY);
        return renewIn.isNegative() || renewIn.isZero() ? lifetime.dividedBy(2) : renewIn;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
