package dev.miniplatform.api.catalog;

import dev.miniplatform.auth.principal.CurrentPrincipal;
import dev.miniplatform.auth.principal.PlatformPrincipal;
import dev.miniplatform.auth.problem.Problem;
import dev.miniplatform.auth.problem.ProblemType;
import dev.miniplatform.auth.problem.ProblemWriter;
import dev.miniplatform.infra.redis.CircuitBreaker;
import dev.miniplatform.infra.redis.TokenBucket;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Token buckets in Redis: one per wallet for the wallet API, one per tenant for the console and ISV API of that
 * tenant ({@code /api/v1/tenants/{tenantId}/…}). Runs after authentication (the security chain is an earlier
 * filter), so only verified callers spend tokens and the wallet comes from the token. Keys are
 * {@code mpp:v1:rl:{wallet:<uuid>}} and {@code mpp:v1:rl:{tenant:<uuid>}}: ids are parsed as UUIDs first, so no
 * request can name another key, and each bucket is one hash-tagged key (cluster-safe).
 * <p>
 * Answers carry {@code RateLimit-Limit}, {@code RateLimit-Remaining} and {@code RateLimit-Reset}; a refusal is
 * a 429 problem with {@code Retry-After}. When Redis fails or its breaker is open, requests pass (fail open) and
 * {@code platform.rate-limit.fail-open} counts them: an outage of the limiter must not become an outage of the API.
 */
@Component
class RateLimitFilter implements WebFilter {

    private static final Pattern TENANT_PATH = Pattern.compile("^/api/v1/tenants/([0-9a-fA-F-]{36})(/.*)?$");

    private final TokenBucket buckets;
    private final WalletProperties.RateLimit limits;
    private final ProblemWriter problems;
    private final CircuitBreaker breaker;
    private final Counter failOpen;
    private final Counter refused;

    RateLimitFilter(ReactiveStringRedisTemplate redis, WalletProperties properties, ProblemWriter problems,
                    MeterRegistry meters, Clock clock) {
        this.buckets = new TokenBucket(redis);
        this.limits = properties.rateLimit();
        this.problems = problems;
        this.breaker = new CircuitBreaker(properties.redis().failureThreshold(), properties.redis().openFor(), clock);
        this.failOpen = Counter.builder("platform.rate-limit.fail-open")
                .description("requests let through unmetered because the rate limiter's Redis was unavailable")
                .register(meters);
        this.refused = Counter.builder("platform.rate-limit.refused").register(meters);
    }

    private record Bucket(String key, WalletProperties.Bucket size) {
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (!limits.enabled()) {
            return chain.filter(exchange);
        }
        // the chain runs exactly once: an unmetered path and a failed-open bucket both end as an empty decision
        return bucket(exchange)
                .flatMap(this::take)
                .defaultIfEmpty(Optional.empty())
                .flatMap(decision -> decision
                        .map(metered -> apply(exchange, chain, metered))
                        .orElseGet(() -> chain.filter(exchange)));
    }

    private Mono<Bucket> bucket(ServerWebExchange exchange) {
        String path = exchange.getRequest().getPath().pathWithinApplication().value();
        if (path.startsWith(WalletPaths.BASE + "/")) {
            return CurrentPrincipal.get()
                    .ofType(PlatformPrincipal.WalletClient.class)
                    .map(wallet -> new Bucket(walletKey(wallet.walletId()), limits.wallet()));
        }
        Matcher tenant = TENANT_PATH.matcher(path);
        if (tenant.matches()) {
            return Mono.justOrEmpty(parse(tenant.group(1)))
                    .filterWhen(id -> CurrentPrincipal.get().hasElement())
                    .map(id -> new Bucket(tenantKey(id), limits.tenant()));
        }
        return Mono.empty();
    }

    static String walletKey(UUID walletId) {
        return RedisCatalog.PREFIX + "rl:{wallet:" + walletId + "}";
    }

    static String tenantKey(UUID tenantId) {
        return RedisCatalog.PREFIX + "rl:{tenant:" + tenantId + "}";
    }

    private Mono<Optional<TokenBucket.Decision>> take(Bucket bucket) {
        if (!breaker.tryAcquire()) {
            failOpen.increment();
            return Mono.just(Optional.empty());
        }
        return buckets.take(bucket.key(), bucket.size().capacity(), bucket.size().refillPerSecond())
                .timeout(Duration.ofSeconds(1))
                .doOnNext(decision -> breaker.onSuccess())
                .map(Optional::of)
                .onErrorResume(failure -> {
                    breaker.onFailure();
                    failOpen.increment();
                    return Mono.just(Optional.empty());
                })
                .defaultIfEmpty(Optional.empty());
    }

    private Mono<Void> apply(ServerWebExchange exchange, WebFilterChain chain, TokenBucket.Decision decision) {
        HttpHeaders headers = exchange.getResponse().getHeaders();
        headers.set("RateLimit-Limit", Long.toString(decision.capacity()));
        headers.set("RateLimit-Remaining", Long.toString(decision.remaining()));
        headers.set("RateLimit-Reset", Long.toString(decision.resetSeconds()));
        if (decision.allowed()) {
            return chain.filter(exchange);
        }
        refused.increment();
        long retryAfter = Math.max(1, (long) Math.ceil(decision.retryAfterMillis() / 1000.0));
        headers.set(HttpHeaders.RETRY_AFTER, Long.toString(retryAfter));
        return problems.write(exchange, Problem.of(ProblemType.TOO_MANY_REQUESTS,
                "Rate limit exceeded; retry after " + retryAfter + " s."));
    }

    private static Optional<UUID> parse(String id) {
        try {
            return Optional.of(UUID.fromString(id));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
