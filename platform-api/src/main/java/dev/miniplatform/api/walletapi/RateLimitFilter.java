package dev.miniplatform.api.walletapi;

import dev.miniplatform.auth.config.CallerFilter;
import dev.miniplatform.auth.principal.CurrentPrincipal;
import dev.miniplatform.auth.principal.PlatformPrincipal;
import dev.miniplatform.auth.problem.Problem;
import dev.miniplatform.auth.problem.ProblemType;
import dev.miniplatform.auth.problem.ProblemWriter;
import dev.miniplatform.infra.redis.CircuitBreaker;
import dev.miniplatform.infra.redis.GuardedRedis;
import dev.miniplatform.infra.redis.TokenBucket;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.util.NetUtil;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.http.HttpHeaders;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilterChain;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;
import reactor.core.publisher.Mono;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Token buckets in Redis, each owned by the caller who spends it: every request is metered by who sends it, never
 * by what it names. A wallet spends its wallet's bucket, a person theirs (over all their workspaces), an ISV
 * application its bucket at the merchant its token names and its bucket over all its merchants (both in one script
 * call), and a request without a token the bucket of its client address. No bucket belongs to a tenant: tenant ids
 * are not secret, and a bucket that anyone may spend is one a stranger can empty (decision 80 had one; a user of
 * no workspace flooding a merchant's paths with 404s locked its owner out). A tenant's own load is bounded by the
 * principals it admitted (its members, the ISVs it authorized), each with a bucket of its own.
 * <p>
 * Since the key comes from the verified token (or the connection), the path plays no part: a percent-encoded,
 * dot-segmented or otherwise respelled path spends the same bucket as its plain form. The filter runs inside the
 * security chain after authentication and before authorization ({@link CallerFilter}), so requests answered 403, or
 * 401 for want of a token, are metered too; only a token that fails verification is answered (401) before it.
 * Health probes without a token are never metered: a load balancer must not see a node as down because others
 * share its address.
 * <p>
 * Keys: {@code mpp:v1:rl:{wallet:<uuid>}}, {@code mpp:v1:rl:{user:<sub>}}, {@code mpp:v1:rl:{isv:<client>}} and
 * {@code mpp:v1:rl:{isv:<client>}:merchant:<organization>} (one hash tag: one cluster slot for the pair), and
 * {@code mpp:v1:rl:{addr:<ip or IPv6 /64>}}; any id outside {@code [A-Za-z0-9._-]} is base64url-encoded behind
 * {@code ~}, so no caller can name another key. One Redis round trip per request at most.
 * <p>
 * Answers carry {@code RateLimit-Limit}, {@code RateLimit-Remaining} and {@code RateLimit-Reset}; a refusal is
 * a 429 problem with {@code Retry-After}. When Redis fails or its breaker is open, requests pass (fail open) and
 * {@code platform.rate-limit.fail-open} counts them: an outage of the limiter must not become an outage of the API.
 */
@Component
@Order(0)
class RateLimitFilter implements CallerFilter {

    private static final String KEY_PREFIX = RedisCatalog.PREFIX + "rl:";
    private static final PathPattern HEALTH = PathPatternParser.defaultInstance.parse("/actuator/health/**");

    private final TokenBucket buckets;
    private final RateLimitProperties limits;
    private final ProblemWriter problems;
    private final GuardedRedis guard;
    private final Counter failOpen;
    private final Counter refused;

    RateLimitFilter(ReactiveStringRedisTemplate redis, RateLimitProperties limits, WalletProperties wallet,
                    ProblemWriter problems, MeterRegistry meters, Clock clock) {
        this.buckets = new TokenBucket(redis);
        this.limits = limits;
        this.problems = problems;
        // a failure is counted with the refusals, as a request let through (fail-open)
        this.guard = new GuardedRedis("rate limiter, letting the request through",
                new CircuitBreaker(wallet.redis().failureThreshold(), wallet.redis().openFor(), clock), () -> { });
        this.failOpen = Counter.builder("platform.rate-limit.fail-open")
                .description("requests let through unmetered because the rate limiter's Redis was unavailable")
                .register(meters);
        this.refused = Counter.builder("platform.rate-limit.refused").register(meters);
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (!limits.enabled()) {
            return chain.filter(exchange);
        }
        // the chain runs exactly once: an unmetered request and a failed-open bucket both end as an empty decision
        return buckets(exchange)
                .flatMap(this::take)
                .defaultIfEmpty(Optional.empty())
                .flatMap(decision -> decision
                        .map(metered -> apply(exchange, chain, metered))
                        .orElseGet(() -> chain.filter(exchange)));
    }

    private Mono<List<TokenBucket.Limit>> buckets(ServerWebExchange exchange) {
        return CurrentPrincipal.get()
                .map(this::bucketsOf)
                .switchIfEmpty(Mono.fromSupplier(() -> withoutToken(exchange)))
                .filter(owned -> !owned.isEmpty());
    }

    private List<TokenBucket.Limit> bucketsOf(PlatformPrincipal principal) {
        return switch (principal) {
            case PlatformPrincipal.WalletClient wallet -> List.of(limits.wallet(walletKey(wallet.walletId())));
            case PlatformPrincipal.ConsoleUser user -> List.of(limits.user(userKey(user.userId())));
            // a pipeline does what a person at a terminal would: a person's budget, its own bucket
            case PlatformPrincipal.CiKey key -> List.of(limits.user(ciKeyKey(key.clientId())));
            case PlatformPrincipal.IsvApplication isv -> List.of(
                    limits.isvMerchant(isvMerchantKey(isv.clientId(), isv.merchantOrganization())),
                    limits.isv(isvKey(isv.clientId())));
        };
    }

    private List<TokenBucket.Limit> withoutToken(ServerWebExchange exchange) {
        if (isHealthProbe(exchange)) {
            return List.of();
        }
        return List.of(limits.address(addressKey(exchange.getRequest().getRemoteAddress())));
    }

    /** Matched like the router and the security rules match it: decoded segments of the path within the application. */
    private static boolean isHealthProbe(ServerWebExchange exchange) {
        return HEALTH.matches(exchange.getRequest().getPath().pathWithinApplication());
    }

    static String walletKey(UUID walletId) {
        return KEY_PREFIX + "{wallet:" + walletId + "}";
    }

    static String userKey(String userId) {
        return KEY_PREFIX + "{user:" + keyPart(userId) + "}";
    }

    static String ciKeyKey(String clientId) {
        return KEY_PREFIX + "{ci:" + keyPart(clientId) + "}";
    }

    static String isvKey(String clientId) {
        return KEY_PREFIX + "{isv:" + keyPart(clientId) + "}";
    }

    static String isvMerchantKey(String clientId, String merchantOrganization) {
        return isvKey(clientId) + ":merchant:" + keyPart(merchantOrganization);
    }

    /**
     * The client's address as the server saw it (or as {@code server.forward-headers-strategy} rewrote it from a
     * trusted proxy's headers). An IPv6 client is counted by its /64, the block one subscriber usually holds.
     */
    static String addressKey(InetSocketAddress remote) {
        return KEY_PREFIX + "{addr:" + clientAddress(remote) + "}";
    }

    private static String clientAddress(InetSocketAddress remote) {
        if (remote == null) {
            return "unknown";
        }
        InetAddress resolved = remote.getAddress();
        byte[] bytes = resolved != null ? resolved.getAddress()
                : NetUtil.createByteArrayFromIpAddressString(remote.getHostString());
        if (bytes == null) {
            return keyPart(remote.getHostString());
        }
        if (ipv4Mapped(bytes)) {
            bytes = Arrays.copyOfRange(bytes, 12, 16);
        }
        if (bytes.length == 4) {
            return (bytes[0] & 0xff) + "." + (bytes[1] & 0xff) + "." + (bytes[2] & 0xff) + "." + (bytes[3] & 0xff);
        }
        StringBuilder prefix = new StringBuilder();
        for (int i = 0; i < 8; i += 2) {
            prefix.append(Integer.toHexString(((bytes[i] & 0xff) << 8) | (bytes[i + 1] & 0xff))).append(':');
        }
        return prefix.append(":/64").toString();
    }

    /** {@code ::ffff:a.b.c.d}: an IPv4 client on a dual-stack socket, counted as that IPv4 address. */
    private static boolean ipv4Mapped(byte[] bytes) {
        if (bytes.length != 16 || bytes[10] != (byte) 0xff || bytes[11] != (byte) 0xff) {
            return false;
        }
        for (int i = 0; i < 10; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return true;
    }

    /** An id as it is, when it is made of characters no key syntax uses; else encoded, behind a mark plain ids lack. */
    static String keyPart(String id) {
        return plain(id) ? id : "~" + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(String.valueOf(id).getBytes(StandardCharsets.UTF_8));
    }

    private static boolean plain(String id) {
        if (id == null || id.isEmpty() || id.length() > 128) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            boolean plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == '-';
            if (!plain) {
                return false;
            }
        }
        return true;
    }

    private Mono<Optional<TokenBucket.Decision>> take(List<TokenBucket.Limit> owned) {
        return guard.call(() -> buckets.take(owned)
                                .timeout(Duration.ofSeconds(1))
                                .map(Optional::of),
                        this::unmetered)
                .defaultIfEmpty(Optional.empty());
    }

    private Mono<Optional<TokenBucket.Decision>> unmetered() {
        failOpen.increment();
        return Mono.just(Optional.empty());
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
}
