package dev.miniplatform.auth.config;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import dev.miniplatform.model.hashing.Sha256;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import reactor.core.publisher.Mono;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Remembers tokens the delegate verified (signature, issuer, audience, expiry), keyed by the SHA-256 of the
 * token, until the token's own {@code exp}: a client sends the same token on every request, and parsing plus an
 * RSA check per request showed up in the console read's profile. Only successes are kept — a failure is never
 * cached, so a token that failed once is verified in full again — and an entry never outlives {@code exp}, so
 * the cache cannot make an expired token valid. Bounded by size; the key is a hash, so memory per entry is
 * small and the cache holds no bearer secrets. It vouches for the token only, never for the person: whether Keycloak
 * still stands behind them (enabled, not deleted, not signed out) is judged after it on every request
 * ({@code AccountStandings}).
 */
final class VerifiedTokenCache implements ReactiveJwtDecoder {

    private final ReactiveJwtDecoder delegate;
    private final Cache<String, Jwt> verified;
    private final Clock clock;

    VerifiedTokenCache(ReactiveJwtDecoder delegate, int maxSize, Clock clock) {
        this.delegate = delegate;
        this.clock = clock;
        this.verified = Caffeine.newBuilder()
                .maximumSize(maxSize)
                .expireAfter(Expiry.creating((String key, Jwt jwt) -> untilExpiry(jwt, clock)))
                .build();
    }

    @Override
    public Mono<Jwt> decode(String token) throws JwtException {
        String key = Sha256.hexOf(token.getBytes(StandardCharsets.US_ASCII));
        Jwt known = verified.getIfPresent(key);
        if (known != null && isUnexpired(known)) {
            return Mono.just(known);
        }
        return delegate.decode(token)
                .doOnNext(jwt -> remember(key, jwt));
    }

    long size() {
        verified.cleanUp();
        return verified.estimatedSize();
    }

    private void remember(String key, Jwt jwt) {
        if (jwt.getExpiresAt() != null && isUnexpired(jwt)) {
            verified.put(key, jwt);
        }
    }

    private boolean isUnexpired(Jwt jwt) {
        return jwt.getExpiresAt() != null && jwt.getExpiresAt().isAfter(clock.instant());
    }

    private static Duration untilExpiry(Jwt jwt, Clock clock) {
        Instant expiresAt = jwt.getExpiresAt();
        if (expiresAt == null) {
            return Duration.ZERO;
        }
        Duration left = Duration.between(clock.instant(), expiresAt);
        return left.isNegative() ? Duration.ZERO : left;
    }
}
