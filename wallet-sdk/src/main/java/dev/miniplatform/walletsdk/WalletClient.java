package dev.miniplatform.walletsdk;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import tools.jackson.databind.DeserializationFeature;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.function.Supplier;

/**
 * A wallet's client of the platform's wallet metadata API. Thread-safe; create one per wallet and process and keep
 * it. Calls block the calling thread (virtual threads welcome) for at most the call timeout, retries included:
 * <ul>
 *   <li>every call is a read, so connection failures, timeouts and 5xx are retried with jittered exponential
 *       back-off until the call's deadline;</li>
 *   <li>a 429 makes <em>every</em> call of this client wait for the {@code Retry-After} it names before sending
 *       again; a call whose deadline comes first fails at once with {@link WalletApiException.RateLimited};</li>
 *   <li>a 401 fetches a new token once and repeats the request;</li>
 *   <li>other 4xx are not retried: they surface as {@link WalletApiException} (404 of a single get is
 *       {@link Optional#empty()}).</li>
 * </ul>
 * {@link #get} keeps the last ETag and answer per request (bounded, {@link Builder#etagCacheSize}) and revalidates
 * with {@code If-None-Match}: an unchanged answer costs a 304 without a body.
 */
public final class WalletClient {

    private final URI baseUrl;
    private final String environment;
    private final HttpClient http;
    private final TokenSource tokens;
    private final Duration callTimeout;
    private final Duration attemptTimeout;
    private final Backoff backoff;
    private final Duration defaultRetryAfter;
    private final Clock clock;
    private final JsonMapper json;
    private final SdkMetrics metrics;
    private final EtagCache etags;
    /** Until when the platform asked this wallet to wait (429 Retry-After); shared by all calls of this client. */
    private volatile Instant quietUntil = Instant.EPOCH;

    private WalletClient(Builder builder) {
        this.baseUrl = URI.create(stripSlash(Objects.requireNonNull(builder.baseUrl, "baseUrl")));
        this.environment = builder.environment;
        this.http = builder.httpClient != null ? builder.httpClient : HttpClient.newBuilder()
                .connectTimeout(builder.connectTimeout)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
        this.callTimeout = builder.callTimeout;
        this.attemptTimeout = builder.attemptTimeout;
        this.backoff = new Backoff(builder.firstRetryDelay, builder.maxRetryDelay);
        this.defaultRetryAfter = Duration.ofSeconds(1);
        this.clock = builder.clock;
        this.json = JsonMapper.builder()
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .build();
        this.metrics = new SdkMetrics(builder.registry != null ? builder.registry : new SimpleMeterRegistry());
        this.etags = new EtagCache(builder.etagCacheSize);
        this.tokens = new TokenSource(http, URI.create(Objects.requireNonNull(builder.tokenUrl, "tokenUrl")),
                Objects.requireNonNull(builder.clientId, "clientId"), Objects.requireNonNull(builder.clientSecret, "clientSecret"),
                builder.scope, clock, json, metrics);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The registry the SDK's meters are on (the one passed to the builder, or its own simple one). */
    public MeterRegistry meterRegistry() {
        return metrics.registry();
    }

    /** The environment calls use when they name none: PROD unless the builder said otherwise. */
    public String environment() {
        return environment;
    }

    /** {@link #get(String, String, String, Locale...)} in the client's environment. */
    public Optional<WalletMiniProgram> get(String appId, String userId, Locale... languages) {
        return get(appId, userId, environment, languages);
    }

    /**
     * One mini program in the best of {@code languages} (in order of preference; none: its default language), in
     * the version {@code userId} runs (gray and pilot rules; null: the full release). Empty when nothing of that id
     * is live for this wallet, environment and user.
     */
    public Optional<WalletMiniProgram> get(String appId, String userId, String environment, Locale... languages) {
        String acceptLanguage = acceptLanguage(languages);
        String key = String.join("\n", environment, appId, String.valueOf(userId), String.valueOf(acceptLanguage));
        EtagCache.Cached cached = etags.get(key);
        Map<String, String> query = new LinkedHashMap<>();
        query.put("userId", userId);
        query.put("environment", environment);
        URI uri = uri(ApiContract.GET.replace("{appId}", encode(appId)), query);
        HttpResponse<byte[]> response = send("get", () -> {
            HttpRequest.Builder request = HttpRequest.newBuilder(uri).GET();
            header(request, "Accept-Language", acceptLanguage);
            if (cached != null) {
                request.header("If-None-Match", cached.etag());
            }
            return request;
        });
        return switch (response.statusCode()) {
            case 304 -> Optional.of(cached.answer());
            case 404 -> {
                etags.remove(key);
                yield Optional.empty();
            }
            default -> {
                WalletMiniProgram answer = json.readValue(response.body(), WalletMiniProgram.class);
                response.headers().firstValue("ETag")
                        .ifPresent(etag -> etags.put(key, new EtagCache.Cached(etag, answer)));
                yield Optional.of(answer);
            }
        };
    }

    /** {@link #batchGet(List, String, String, Locale...)} in the client's environment. */
    public BatchResult batchGet(List<String> appIds, String userId, Locale... languages) {
        return batchGet(appIds, userId, environment, languages);
    }

    /** Up to 100 mini programs at once, as {@link #get} would answer each; ids with nothing live are in {@code missing}. */
    public BatchResult batchGet(List<String> appIds, String userId, String environment, Locale... languages) {
        if (appIds.isEmpty() || appIds.size() > ApiContract.BATCH_LIMIT) {
            throw new IllegalArgumentException("batchGet takes 1 to " + ApiContract.BATCH_LIMIT + " app ids, not " + appIds.size());
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put(ApiContract.BATCH_GET_BODY.get(0), appIds);
        body.put(ApiContract.BATCH_GET_BODY.get(1), userId);
        body.put(ApiContract.BATCH_GET_BODY.get(2), environment);
        byte[] bytes = json.writeValueAsBytes(body);
        String acceptLanguage = acceptLanguage(languages);
        URI uri = uri(ApiContract.BATCH_GET, Map.of());
        HttpResponse<byte[]> response = send("batchGet", () -> {
            HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(bytes));
            header(request, "Accept-Language", acceptLanguage);
            return request;
        });
        requireOk("batchGet", response);
        return json.readValue(response.body(), BatchResult.class);
    }

    /** One page of the released mini programs in the client's environment, filtered and sorted as {@code query} says. */
    public ListPage list(ListQuery query) {
        return list(query, environment);
    }

    public ListPage list(ListQuery query, String environment) {
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("q", query.q());
        parameters.put("industry", query.industry());
        parameters.put("status", query.status());
        parameters.put("sort", query.sort());
        parameters.put("page", query.page() == null ? null : query.page().toString());
        parameters.put("size", query.size() == null ? null : query.size().toString());
        parameters.put("environment", environment);
        URI uri = uri(ApiContract.LIST, parameters);
        HttpResponse<byte[]> response = send("list", () -> HttpRequest.newBuilder(uri).GET());
        requireOk("list", response);
        return json.readValue(response.body(), ListPage.class);
    }

    /**
     * What changed since {@code since} (null: from the beginning), at most {@code limit} (1 to 1000) changes. Keep
     * {@link ChangePage#next()} and pass it as the next {@code since}.
     */
    public ChangePage changes(String since, int limit, String environment) {
        if (limit < 1 || limit > ApiContract.CHANGES_LIMIT) {
            throw new IllegalArgumentException("limit must be 1 to " + ApiContract.CHANGES_LIMIT);
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("since", since);
        parameters.put("limit", Integer.toString(limit));
        parameters.put("environment", environment);
        URI uri = uri(ApiContract.CHANGES, parameters);
        HttpResponse<byte[]> response = send("changes", () -> HttpRequest.newBuilder(uri).GET());
        requireOk("changes", response);
        return json.readValue(response.body(), ChangePage.class);
    }

    /** {@code Accept-Language} for languages in order of preference: the first unweighted, then q=0.9, 0.8, … 0.1. */
    static String acceptLanguage(Locale... languages) {
        if (languages == null || languages.length == 0) {
            return null;
        }
        StringJoiner header = new StringJoiner(", ");
        for (int i = 0; i < languages.length; i++) {
            String tag = languages[i].toLanguageTag();
            header.add(i == 0 ? tag : tag + ";q=0." + Math.max(1, 10 - i));
        }
        return header.toString();
    }

    /**
     * Sends until an answer the caller can use, or the call's deadline. Every wallet API call is a read (batchGet
     * is a POST only for its body), so every one may be repeated.
     */
    private HttpResponse<byte[]> send(String operation, Supplier<HttpRequest.Builder> request) {
        Instant deadline = clock.instant().plus(callTimeout);
        boolean renewedToken = false;
        int failures = 0;
        Exception lastFailure = null;
        while (true) {
            try {
                waitOutRateLimit(operation, deadline);
                Duration remaining = remaining(deadline);
                if (remaining.isZero()) {
                    throw timeout(operation, lastFailure);
                }
                String token = tokens.token(remaining);
                HttpRequest built = request.get()
                        .header("Authorization", "Bearer " + token)
                        .header("Accept", "application/json")
                        .timeout(min(attemptTimeout, remaining(deadline)))
                        .build();
                long started = System.nanoTime();
                HttpResponse<byte[]> response;
                try {
                    response = http.send(built, HttpResponse.BodyHandlers.ofByteArray());
                } catch (IOException e) {
                    metrics.request(operation, "io_error", Duration.ofNanos(System.nanoTime() - started));
                    throw e;
                }
                int status = response.statusCode();
                metrics.request(operation, outcome(status), Duration.ofNanos(System.nanoTime() - started));
                if (status == 401 && !renewedToken) {
                    tokens.invalidate(token);
                    renewedToken = true;
                    continue;
                }
                if (status == 429) {
                    Duration wait = retryAfter(response);
                    quietUntil = later(quietUntil, clock.instant().plus(wait));
                    lastFailure = new WalletApiException("429 on " + operation, 429, null, null);
                    continue;
                }
                if (status >= 500) {
                    failures++;
                    lastFailure = new WalletApiException("HTTP " + status + " on " + operation, status,
                            problemType(response), null);
                    pause(backoff.delay(failures), deadline, operation, lastFailure);
                    continue;
                }
                return response;
            } catch (IOException e) {
                failures++;
                lastFailure = e;
                pause(backoff.delay(failures), deadline, operation, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                metrics.failedCall(operation, "interrupted");
                throw new WalletApiException("interrupted during " + operation, 0, null, e);
            }
        }
    }

    private void waitOutRateLimit(String operation, Instant deadline) throws InterruptedException {
        Instant until = quietUntil;
        Instant now = clock.instant();
        if (!now.isBefore(until)) {
            return;
        }
        // a little jitter, so that the calls that waited do not all send in the same millisecond
        Duration wait = Duration.between(now, until).plus(backoff.delay(1).dividedBy(4));
        if (now.plus(wait).isAfter(deadline)) {
            metrics.failedCall(operation, "rate_limited");
            throw new WalletApiException.RateLimited("The wallet API asked to wait until " + until + ", after this "
                    + operation + "'s deadline", Duration.between(now, until));
        }
        Thread.sleep(wait);
    }

    private void pause(Duration delay, Instant deadline, String operation, Exception cause) {
        if (clock.instant().plus(delay).isAfter(deadline)) {
            throw timeout(operation, cause);
        }
        try {
            Thread.sleep(delay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WalletApiException("interrupted during " + operation, 0, null, e);
        }
    }

    private WalletApiException timeout(String operation, Exception cause) {
        metrics.failedCall(operation, "timeout");
        if (cause instanceof WalletApiException api && api.status() == 429) {
            return new WalletApiException.RateLimited("Still rate limited at the end of " + operation + "'s "
                    + callTimeout.toMillis() + " ms", Duration.between(clock.instant(), quietUntil));
        }
        int status = cause instanceof WalletApiException api ? api.status() : 0;
        return new WalletApiException("No usable answer to " + operation + " within " + callTimeout.toMillis()
                + " ms" + (cause == null ? "" : "; last failure: " + cause), status, null, cause);
    }

    private void requireOk(String operation, HttpResponse<byte[]> response) {
        if (response.statusCode() != 200) {
            metrics.failedCall(operation, "status_" + response.statusCode());
            throw new WalletApiException(operation + " answered HTTP " + response.statusCode() + ": "
                    + new String(response.body(), StandardCharsets.UTF_8), response.statusCode(), problemType(response), null);
        }
    }

    private String problemType(HttpResponse<byte[]> response) {
        try {
            JsonNode problem = json.readTree(response.body());
            return problem.path("type").isString() ? problem.path("type").asString() : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    private Duration retryAfter(HttpResponse<byte[]> response) {
        return response.headers().firstValue("Retry-After")
                .flatMap(WalletClient::seconds)
                .orElse(defaultRetryAfter);
    }

    private static Optional<Duration> seconds(String value) {
        try {
            return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(value.trim()))));
        } catch (NumberFormatException e) {
            return Optional.empty(); // an HTTP date: the platform sends seconds, the default applies
        }
    }

    private static String outcome(int status) {
        return switch (status) {
            case 200 -> "ok";
            case 304 -> "not_modified";
            case 404 -> "not_found";
            case 429 -> "rate_limited";
            default -> status >= 500 ? "server_error" : "client_error";
        };
    }

    private Duration remaining(Instant deadline) {
        Duration remaining = Duration.between(clock.instant(), deadline);
        return remaining.isNegative() ? Duration.ZERO : remaining;
    }

    private URI uri(String path, Map<String, String> query) {
        StringJoiner parameters = new StringJoiner("&", "?", "").setEmptyValue("");
        query.forEach((name, value) -> {
            if (value != null) {
                parameters.add(name + "=" + encode(value));
            }
        });
        return URI.create(baseUrl + path + parameters);
    }

    private static void header(HttpRequest.Builder request, String name, String value) {
        if (value != null) {
            request.header(name, value);
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    int etagEntries() {
        return etags.size();
    }

    /**
     * Configuration. Required: {@link #baseUrl}, {@link #tokenUrl}, {@link #clientId}, {@link #clientSecret}.
     */
    public static final class Builder {

        private String baseUrl;
        private String tokenUrl;
        private String clientId;
        private String clientSecret;
        private String scope;
        private String environment = "PROD";
        private Duration callTimeout = Duration.ofSeconds(10);
        private Duration attemptTimeout = Duration.ofSeconds(3);
        private Duration connectTimeout = Duration.ofSeconds(2);
        private Duration firstRetryDelay = Duration.ofMillis(100);
        private Duration maxRetryDelay = Duration.ofSeconds(5);
        private int etagCacheSize = 1_000;
        private MeterRegistry registry;
        private HttpClient httpClient;
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /** The platform, e.g. {@code https://api.example} (the SDK adds {@code /wallet/v1/…}). */
        public Builder baseUrl(String baseUrl) {
            this.baseUrl = baseUrl;
            return this;
        }

        /** The realm's token endpoint, {@code {keycloak}/realms/{realm}/protocol/openid-connect/token}. */
        public Builder tokenUrl(String tokenUrl) {
            this.tokenUrl = tokenUrl;
            return this;
        }

        public Builder clientId(String clientId) {
            this.clientId = clientId;
            return this;
        }

        public Builder clientSecret(String clientSecret) {
            this.clientSecret = clientSecret;
            return this;
        }

        /** A scope to ask for; none by default (the wallet client's default scopes include {@code metadata:read}). */
        public Builder scope(String scope) {
            this.scope = scope;
            return this;
        }

        /** PROD (default), TEST or DEV: the environment calls use when they name none. */
        public Builder environment(String environment) {
            this.environment = environment;
            return this;
        }

        /** The most one call may take, retries and waits included (10 s). */
        public Builder callTimeout(Duration callTimeout) {
            this.callTimeout = callTimeout;
            return this;
        }

        /** The most one HTTP exchange may take (3 s). */
        public Builder attemptTimeout(Duration attemptTimeout) {
            this.attemptTimeout = attemptTimeout;
            return this;
        }

        /** Connect timeout of the SDK's own HttpClient (2 s); unused with {@link #httpClient}. */
        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
            return this;
        }

        /** Back-off after a 5xx or connection failure: from {@code first} (100 ms), doubling to {@code max} (5 s), jittered. */
        public Builder retryDelays(Duration first, Duration max) {
            this.firstRetryDelay = first;
            this.maxRetryDelay = max;
            return this;
        }

        /** How many answers {@link #get} keeps for revalidation (1,000; 0 turns revalidation off). */
        public Builder etagCacheSize(int entries) {
            if (entries < 0) {
                throw new IllegalArgumentException("etagCacheSize must be >= 0");
            }
            this.etagCacheSize = entries;
            return this;
        }

        /** Where the SDK's meters go (a {@code SimpleMeterRegistry} of its own by default). */
        public Builder meterRegistry(MeterRegistry registry) {
            this.registry = registry;
            return this;
        }

        /** An HttpClient of your own (proxy, TLS, executor); the SDK's own speaks HTTP/1.1. */
        public Builder httpClient(HttpClient httpClient) {
            this.httpClient = httpClient;
            return this;
        }

        /** The clock token renewal and deadlines are measured with. */
        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        public WalletClient build() {
            return new WalletClient(this);
        }
    }
}
