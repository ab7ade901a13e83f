package dev.miniplatform.api.walletapi;

import dev.miniplatform.infra.redis.TokenBucket;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code platform.rate-limit.*}: token buckets per caller. Every bucket belongs to the one who spends it: a wallet,
 * a person, an ISV application (at one merchant, and over all its merchants), or, for requests without a token,
 * the client address. No bucket belongs to a tenant, so nobody can spend a tenant's budget (decision in
 * {@link RateLimitFilter}).
 *
 * @param enabled               off only for benchmarks that measure throughput
 * @param walletCapacity        burst per wallet
 * @param walletPerSecond       sustained requests per second per wallet
 * @param userCapacity          burst per person (console user), over all their workspaces
 * @param userPerSecond         sustained requests per second per person
 * @param isvMerchantCapacity   burst per ISV application at one merchant
 * @param isvMerchantPerSecond  sustained requests per second per ISV application at one merchant
 * @param isvCapacity           burst per ISV application over all its merchants
 * @param isvPerSecond          sustained requests per second per ISV application over all its merchants
 * @param addressCapacity       burst per client address for requests without a token (console pages, 401s);
 *                              an IPv6 client is counted by its /64
 * @param addressPerSecond      sustained requests per second per client address without a token
 */
@Validated
@ConfigurationProperties("platform.rate-limit")
record RateLimitProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("2000") @Min(1) @Max(1_000_000) long walletCapacity,
        @DefaultValue("1000") @Min(1) @Max(1_000_000) long walletPerSecond,
        @DefaultValue("600") @Min(1) @Max(1_000_000) long userCapacity,
        @DefaultValue("20") @Min(1) @Max(1_000_000) long userPerSecond,
        @DefaultValue("600") @Min(1) @Max(1_000_000) long isvMerchantCapacity,
        @DefaultValue("50") @Min(1) @Max(1_000_000) long isvMerchantPerSecond,
        @DefaultValue("3000") @Min(1) @Max(1_000_000) long isvCapacity,
        @DefaultValue("500") @Min(1) @Max(1_000_000) long isvPerSecond,
        @DefaultValue("1000") @Min(1) @Max(1_000_000) long addressCapacity,
        @DefaultValue("50") @Min(1) @Max(1_000_000) long addressPerSecond) {

    TokenBucket.Limit wallet(String key) {
        return new TokenBucket.Limit(key, walletCapacity, walletPerSecond);
    }

    TokenBucket.Limit user(String key) {
        return new TokenBucket.Limit(key, userCapacity, userPerSecond);
    }

    TokenBucket.Limit isvMerchant(String key) {
        return new TokenBucket.Limit(key, isvMerchantCapacity, isvMerchantPerSecond);
    }

    TokenBucket.Limit isv(String key) {
        return new TokenBucket.Limit(key, isvCapacity, isvPerSecond);
    }

    TokenBucket.Limit address(String key) {
        return new TokenBucket.Limit(key, addressCapacity, addressPerSecond);
    }
}
