package dev.miniplatform.api.isv;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * {@code platform.isv.*}: delegated authorization and webhook delivery.
 *
 * @param webhookAllowLoopbackHttp  accept and deliver to {@code http://127.0.0.1…} and {@code http://[::1]…} webhook
 *                                  URLs (dev and tests only). Off by default: production accepts https to public
 *                                  hosts only, and never connects to a loopback, private or reserved address
 * @param webhookSecretOverlap      how long the previous webhook secret keeps signing after a rotation
 * @param relayEnabled              run the outbox relay and webhook sender on this node
 * @param relayInterval             how often the relay looks for new events and due deliveries
 * @param deliveryTimeout           bounded time for one webhook POST (resolve + connect + TLS + response headers)
 * @param deliveryLease             how long a node owns a delivery it is sending; after a crash it falls due again
 * @param maxAttempts               attempts before a delivery is FAILED (replay starts it again)
 * @param firstRetryDelay           back-off before the second attempt; doubles each time up to maxRetryDelay
 * @param maxRetryDelay             longest back-off
 * @param grantCacheTtl             how long a node trusts its in-process copy of a grant; 0 (default) = no
 *                                  in-process copy, every ISV request asks Redis, so a revocation is refused on the
 *                                  very next request on every node. Above 0 saves that round trip; pub/sub then
 *                                  drops the copy on every node within milliseconds, the TTL bounds it if a
 *                                  message is lost
 */
@Validated
@ConfigurationProperties("platform.isv")
public record IsvProperties(
        @DefaultValue("false") boolean webhookAllowLoopbackHttp,
        @NotNull @DefaultValue("24h") Duration webhookSecretOverlap,
        @DefaultValue("true") boolean relayEnabled,
        @NotNull @DefaultValue("500ms") Duration relayInterval,
        @NotNull @DefaultValue("5s") Duration deliveryTimeout,
        @NotNull @DefaultValue("30s") Duration deliveryLease,
        @Min(1) @Max(50) @DefaultValue("8") int maxAttempts,
        @NotNull @DefaultValue("1s") Duration firstRetryDelay,
        @NotNull @DefaultValue("1h") Duration maxRetryDelay,
        @NotNull @DefaultValue("0s") Duration grantCacheTtl) {

    /** Exponential back-off after {@code attempts} failed attempts: first, 2×first, 4×first … capped. */
    public Duration retryDelay(int attempts) {
        long factor = 1L << Math.min(Math.max(attempts - 1, 0), 20);
        Duration delay = firstRetryDelay.multipliedBy(factor);
        return delay.compareTo(maxRetryDelay) > 0 ? maxRetryDelay : delay;
    }
}
