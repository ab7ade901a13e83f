package dev.miniplatform.infra.effects;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * {@code platform.effects.*}: the durable queue of side effects (Keycloak changes, mail) and its relay.
 *
 * @param pollInterval   how often each node looks for due effects
 * @param batchSize      effects claimed per poll
 * @param concurrency    effects a node runs at once
 * @param lease          how long a claim is exclusive; past it another node may run the effect again, so keep it
 *                       well above the slowest effect (Keycloak timeouts × calls per effect)
 * @param firstRetry     wait before the second attempt; it doubles with each failure (± 20 % jitter) …
 * @param maxRetry       … up to this
 * @param maxAttempts    after this many failures the effect is parked (kept, logged, not retried until it is
 *                       requested again)
 * @param inlineWait     how long a request waits, after its commit, for the first attempt at its effects before
 *                       answering and leaving them to the relay
 * @param relayEnabled   poll at all (tests of the queue itself turn it off)
 */
@Validated
@ConfigurationProperties("platform.effects")
public record EffectsProperties(
        @NotNull @DefaultValue("1s") Duration pollInterval,
        @Min(1) @Max(500) @DefaultValue("20") int batchSize,
        @Min(1) @Max(64) @DefaultValue("4") int concurrency,
        @NotNull @DefaultValue("2m") Duration lease,
        @NotNull @DefaultValue("1s") Duration firstRetry,
        @NotNull @DefaultValue("10m") Duration maxRetry,
        @Min(1) @DefaultValue("30") int maxAttempts,
        @NotNull @DefaultValue("3s") Duration inlineWait,
        @DefaultValue("true") boolean relayEnabled) {
}
