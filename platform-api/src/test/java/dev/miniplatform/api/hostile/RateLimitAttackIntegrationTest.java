package dev.miniplatform.api.hostile;

import dev.miniplatform.api.support.Catalog;
import dev.miniplatform.api.support.Catalog.RegisteredWallet;
import dev.miniplatform.api.support.IntegrationTest;
import dev.miniplatform.api.support.KeycloakBrowser;
import dev.miniplatform.api.support.KeycloakUsers.TestUser;
import dev.miniplatform.api.support.Workspace;
import dev.miniplatform.auth.config.KeycloakProperties;
import dev.miniplatform.model.hashing.Sha256;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.util.UriComponentsBuilder;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 16, item 3: "a stranger locks a merchant out". Rate-limit budgets belong to the callers who spend them, so a
 * flood of any caller (a user of no workspace, an ISV the merchant never authorized, a client without a token) is
 * refused with 429 while the merchant's own people keep working, and no spelling of a path escapes the caller's
 * bucket. The floods are real: concurrent requests until the first refusal, with the suite's own (default) limits.
 * Keys are written out as the documented format ({@code mpp:v1:rl:{user:<sub>}}, …) where a test empties a bucket.
 */
class RateLimitAttackIntegrationTest extends IntegrationTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int CONCURRENCY = 32;
    /** Far more than any bucket holds, and far longer than draining one takes even on a saturated machine. */
    private static final int MAX_FLOOD = 50_000;
    private static final Duration FLOOD_AT_MOST = Duration.ofSeconds(90);
    private static final String REDIRECT = "https://isv.example/callback";

    @LocalServerPort
    int port;

    @Autowired
    ReactiveStringRedisTemplate redis;

    @Autowired
    KeycloakProperties keycloakProperties;

    private final List<ConnectionProvider> pools = new ArrayList<>();

    @AfterEach
    void closePools() {
        pools.forEach(pool -> pool.disposeLater().block(Duration.ofSeconds(10)));
    }

    @Test
    void aStrangerFloodingAMerchantsPathsIsRefusedWhileTheOwnerKeepsWorking() {
        Workspace victim = Workspace.create(api, keycloak);
        String appId = victim.createMiniProgram(victim.owner, "Victim Tea House");
        TestUser stranger = keycloak.newUser("stranger");
        // the console's hot read: the cheapest of the merchant's paths, so the flood is fast even on a busy machine
        String path = victim.path("/mini-programs/" + appId);

        Map<Integer, Long> flood = floodUntilRefused(client(null), path, stranger.accessToken());
        assertThat(flood).as("the stranger's flood is refused, and never reads the merchant's data")
                .containsKey(429).doesNotContainKey(200);

        assertTheOwnerKeepsWorkingDuring(victim, path, stranger.accessToken());
    }

    @Test
    void anIsvTheMerchantNeverAuthorizedSpendsOnlyItsOwnBudget() {
        Workspace puppet = Workspace.create(api, keycloak);
        Workspace victim = Workspace.create(api, keycloak);
        victim.createMiniProgram(victim.owner, "Victim Noodle Bar");
        IsvToken isv = isvTokenNaming(puppet);
        String path = victim.path("/mini-programs");

        Map<Integer, Long> flood = floodUntilRefused(client(null), path, isv.accessToken());
        assertThat(flood).as("the ISV's flood of a merchant it holds no authorization for")
                .containsKey(429).doesNotContainKey(200);
        assertTheOwnerKeepsWorkingDuring(victim, path, isv.accessToken());
        // both of the ISV's buckets (at the merchant its token names, and over all its merchants) paid for it
        assertThat(exists("mpp:v1:rl:{isv:" + isv.clientId() + "}:merchant:" + puppet.tenantId)).isTrue();
        assertThat(exists("mpp:v1:rl:{isv:" + isv.clientId() + "}")).isTrue();
    }

    @Test
    void requestsWithoutATokenSpendTheBudgetOfTheirAddressOnly() {
        Workspace victim = Workspace.create(api, keycloak);
        String flooder = "127." + ThreadLocalRandom.current().nextInt(1, 255) + "."
                + ThreadLocalRandom.current().nextInt(0, 256) + "." + ThreadLocalRandom.current().nextInt(1, 255);
        WebClient fromFlooder = client(flooder);

        Map<Integer, Long> flood = floodUntilRefused(fromFlooder, "/api/v1/tenants", null);
        assertThat(flood).as("a flood of 401s from %s", flooder).containsKey(429).containsKey(401);

        // while the flooder's address has nothing left: another address is not refused; the flooding address still
        // reaches the health probe and, with a token, the caller's own budget
        empty("mpp:v1:rl:{addr:" + flooder + "}");
        api.get().uri("/api/v1/tenants").exchange().expectStatus().isUnauthorized();
        api.get().uri("/console/").exchange().expectStatus().isOk();
        assertThat(status(fromFlooder, "/api/v1/tenants", null)).isEqualTo(429);
        assertThat(status(fromFlooder, "/actuator/health", null)).isEqualTo(200);
        assertThat(status(fromFlooder, victim.path("/mini-programs"), victim.owner.accessToken())).isEqualTo(200);
    }

    @Test
    void everySpellingOfAPathSpendsTheCallersOneBucket() {
        TestUser admin = keycloak.newUserWithRealmRole("admin", "platform-admin");
        Catalog catalog = new Catalog(api, keycloak, admin);
        Workspace workspace = Workspace.create(api, keycloak);
        String appId = workspace.createMiniProgram(workspace.owner, "Spelling Tea");
        RegisteredWallet wallet = catalog.registerWallet("Spelling Wallet");
        catalog.fullRelease(workspace, appId, "1.0.0", wallet.id());
        String walletRead = "/wallet/v1/mini-programs/" + appId + "?environment=DEV";
        String consoleRead = workspace.path("/mini-programs/" + appId);

        // respelled like the router decodes them: each reaches the data when the bucket has tokens …
        List<String> walletSpellings = List.of(
                "/%77allet/v1/mini-programs/" + appId + "?environment=DEV",
                "/wallet/v1/%6Dini-programs/" + appId + "?environment=DEV",
                "/wallet/v1/mini-programs/" + percentEncodeFirst(appId) + "?environment=DEV");
        List<String> consoleSpellings = List.of(
                "/api/v1/tenants/" + percentEncodeFirst(workspace.tenantId) + "/mini-programs/" + appId,
                "/api/v1/%74enants/" + workspace.tenantId + "/mini-programs/" + appId,
                "/api/v1/tenants/" + workspace.tenantId.toUpperCase() + "/mini-programs/" + appId);
        walletSpellings.forEach(spelling -> assertThat(rawStatus(spelling, wallet.token())).as(spelling).isEqualTo(200));
        consoleSpellings.forEach(spelling -> assertThat(rawStatus(spelling, workspace.owner.accessToken())).as(spelling).isEqualTo(200));

        // … and none of them, nor any other spelling, gets past an empty bucket
        empty("mpp:v1:rl:{wallet:" + wallet.id() + "}");
        empty("mpp:v1:rl:{user:" + workspace.owner.id() + "}");
        assertThat(rawStatus(walletRead, wallet.token())).isEqualTo(429);
        assertThat(rawStatus(consoleRead, workspace.owner.accessToken())).isEqualTo(429);
        walletSpellings.forEach(spelling -> assertThat(rawStatus(spelling, wallet.token())).as(spelling).isEqualTo(429));
        consoleSpellings.forEach(spelling -> assertThat(rawStatus(spelling, workspace.owner.accessToken())).as(spelling).isEqualTo(429));
        List<String> otherSpellings = List.of(
                "/wallet/v1/mini-programs/" + appId + "/?environment=DEV",
                "/WALLET/v1/mini-programs/" + appId + "?environment=DEV",
                "/wallet//v1/mini-programs/" + appId + "?environment=DEV",
                "/wallet/./v1/mini-programs/" + appId + "?environment=DEV",
                "/wallet/v1/mini-programs;x=1/" + appId + "?environment=DEV",
                "/wallet/v1/mini-programs/" + appId + ";x=1?environment=DEV");
        // refused by the bucket, or by the URL firewall before anything is read (400); never served
        otherSpellings.forEach(spelling -> assertThat(rawStatus(spelling, wallet.token())).as(spelling).isIn(400, 429));
    }

    // ------------------------------------------------------------------------------------------------------------

    /**
     * The owner reads the merchant's path while the attacker keeps flooding it: every answer is 200, and the owner's
     * own bucket shows that nothing but the owner's own requests were taken from it.
     */
    private void assertTheOwnerKeepsWorkingDuring(Workspace victim, String path, String attackerToken) {
        Map<Integer, AtomicLong> attack = new ConcurrentHashMap<>();
        Disposable ongoing = requests(client(null), path, attackerToken)
                .take(FLOOD_AT_MOST)
                .subscribe(status -> attack.computeIfAbsent(status, any -> new AtomicLong()).incrementAndGet());
        List<String> owner = new ArrayList<>();
        try {
            for (int i = 0; i < 20; i++) {
                EntityExchangeResult<byte[]> read = api.get().uri(path)
                        .headers(h -> h.setBearerAuth(victim.owner.accessToken()))
                        .exchange()
                        .expectBody().returnResult();
                owner.add(read.getStatus().value() + spentByOthers(read.getResponseHeaders()));
            }
        } finally {
            ongoing.dispose();
        }
        assertThat(attack.getOrDefault(429, new AtomicLong()).get()).as("the attack went on meanwhile, refused").isPositive();
        assertThat(owner).as("the owner's answers while the attack went on").containsOnly("200");
    }

    /**
     * Nothing, when the bucket that answered has no more than the owner's own requests taken from it; the headers
     * are absent only when the limiter failed open (Redis too slow on a saturated machine), which refuses nobody.
     */
    private static String spentByOthers(HttpHeaders headers) {
        String limit = headers.getFirst("RateLimit-Limit");
        String remaining = headers.getFirst("RateLimit-Remaining");
        if (limit == null || remaining == null || Long.parseLong(remaining) >= Long.parseLong(limit) - 100) {
            return "";
        }
        return " with only " + remaining + " of " + limit + " left";
    }

    private Map<Integer, Long> floodUntilRefused(WebClient client, String path, String token) {
        long started = System.nanoTime();
        Map<Integer, Long> statuses = requests(client, path, token)
                .takeUntil(status -> status == 429)
                .take(FLOOD_AT_MOST)
                .collect(Collectors.groupingBy(status -> status, Collectors.counting()))
                .block(FLOOD_AT_MOST.plusSeconds(30));
        System.out.printf("flood of %s: %s in %d ms%n", path, statuses, (System.nanoTime() - started) / 1_000_000);
        return statuses;
    }

    private static Flux<Integer> requests(WebClient client, String path, String token) {
        return Flux.range(0, MAX_FLOOD)
                .flatMap(i -> client.get()
                        .uri(path)
                        .headers(h -> bearer(h, token))
                        .exchangeToMono(response -> response.releaseBody().thenReturn(response.statusCode().value())), CONCURRENCY);
    }

    private static void bearer(HttpHeaders headers, String token) {
        if (token != null) {
            headers.setBearerAuth(token);
        }
    }

    private static int status(WebClient client, String path, String token) {
        return client.get().uri(path).headers(h -> bearer(h, token))
                .exchangeToMono(response -> response.releaseBody().thenReturn(response.statusCode().value()))
                .block(Duration.ofSeconds(30));
    }

    /** A client whose connections come from {@code sourceAddress} (any 127/8 address reaches the server), if given. */
    private WebClient client(String sourceAddress) {
        ConnectionProvider pool = ConnectionProvider.builder("hostile-" + UUID.randomUUID())
                .maxConnections(CONCURRENCY)
                .pendingAcquireMaxCount(-1)
                .build();
        pools.add(pool);
        HttpClient http = HttpClient.create(pool);
        if (sourceAddress != null) {
            http = http.bindAddress(() -> new InetSocketAddress(sourceAddress, 0));
        }
        return WebClient.builder()
                .baseUrl("http://127.0.0.1:" + port)
                .clientConnector(new ReactorClientHttpConnector(http))
                .build();
    }

    /** The status of a request whose path is sent exactly as written (no template expansion, no encoding). */
    private int rawStatus(String rawPathAndQuery, String token) {
        return api.get().uri(URI.create("http://127.0.0.1:" + port + rawPathAndQuery))
                .headers(h -> h.setBearerAuth(token))
                .exchange()
                .returnResult(byte[].class)
                .getStatus()
                .value();
    }

    private static String percentEncodeFirst(String text) {
        return "%" + Integer.toHexString(text.charAt(0)).toUpperCase() + text.substring(1);
    }

    /** Emptied so deeply that refilling it takes longer than any test (a refused request refills it from now on). */
    private void empty(String key) {
        redis.opsForHash().putAll(key, Map.of("tokens", "-1000000000", "ts", Long.toString(System.currentTimeMillis())))
                .block(Duration.ofSeconds(5));
    }

    private boolean exists(String key) {
        return Boolean.TRUE.equals(redis.hasKey(key).block(Duration.ofSeconds(5)));
    }

    /** The ISV's own RFC 7636 pair, made as any OAuth client makes it (not with isv's own code). */
    private record Pkce(String verifier, String challenge) {

        static Pkce generate() {
            byte[] bytes = new byte[32];
            new SecureRandom().nextBytes(bytes);
            String verifier = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
            byte[] digest = Sha256.of(verifier.getBytes(StandardCharsets.US_ASCII));
            return new Pkce(verifier, Base64.getUrlEncoder().withoutPadding().encodeToString(digest));
        }
    }

    private record IsvToken(String clientId, String accessToken) {
    }

    /**
     * An ISV application with a real token naming the merchant {@code consenting} (whose owner consents on Keycloak's
     * pages) and no platform authorization anywhere: the attacker's own sock-puppet merchant.
     */
    private IsvToken isvTokenNaming(Workspace consenting) {
        TestUser owner = keycloak.newUser("isv-owner");
        String name = "Flood ISV " + UUID.randomUUID().toString().substring(0, 8);
        String isvId = api.post().uri("/api/v1/tenants")
                .headers(h -> h.setBearerAuth(owner.accessToken()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("kind", "ISV", "name", name))
                .exchange()
                .expectStatus().isCreated()
                .expectBody(JsonNode.class).returnResult().getResponseBody().get("id").asString();
        JsonNode application = api.put().uri("/api/v1/tenants/" + isvId + "/isv-application")
                .headers(h -> h.setBearerAuth(owner.accessToken()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", name, "redirectUris", List.of(REDIRECT)))
                .exchange()
                .expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        String clientId = application.get("clientId").asString();
        Pkce pkce = Pkce.generate();
        String authorize = UriComponentsBuilder.fromUriString(keycloakProperties.issuer() + "/protocol/openid-connect/auth")
                .queryParam("client_id", clientId)
                .queryParam("response_type", "code")
                .queryParam("redirect_uri", REDIRECT)
                .queryParam("scope", "organization:" + consenting.tenantId)
                .queryParam("state", "flood")
                .queryParam("code_challenge", pkce.challenge())
                .queryParam("code_challenge_method", "S256")
                .encode()
                .build()
                .toUriString();
        URI back = new KeycloakBrowser().consent(authorize, consenting.owner.username(), consenting.owner.password(), true);
        String code = UriComponentsBuilder.fromUri(back).build().getQueryParams().getFirst("code");
        HttpResponse<String> token = tokenRequest(Map.of("grant_type", "authorization_code", "code", code,
                "redirect_uri", REDIRECT, "client_id", clientId, "client_secret", application.get("clientSecret").asString(),
                "code_verifier", pkce.verifier()));
        assertThat(token.statusCode()).as(token.body()).isEqualTo(200);
        return new IsvToken(clientId, JSON.readTree(token.body()).get("access_token").asString());
    }

    private HttpResponse<String> tokenRequest(Map<String, String> form) {
        String body = form.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        try (java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient()) {
            return http.send(HttpRequest.newBuilder(URI.create(keycloakProperties.issuer() + "/protocol/openid-connect/token"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
