package dev.miniplatform.api.template;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * {@code platform.batch.streams.*}: the Server-Sent Events streams of batch-job progress. Each open stream reads
 * the database every {@code platform.batch.events-interval}, so their number is bounded, and each one ends.
 *
 * @param maxPerCaller streams one caller (a person, an ISV application at a merchant) may hold open on one node;
 *                     more are refused with 429 (a browser's EventSource does not retry a 429)
 * @param maxPerNode   streams open on one node over all callers; more are refused with 429
 * @param maxLifetime  a stream ends after this even if its job still runs; an EventSource then reconnects and is
 *                     counted again, and a client that vanished without closing its connection stops costing
 *                     polls. A stream also ends when its job ends
 */
@Validated
@ConfigurationProperties("platform.batch.streams")
record BatchStreamProperties(
        @Min(1) @Max(1000) @DefaultValue("4") int maxPerCaller,
        @Min(1) @Max(100_000) @DefaultValue("100") int maxPerNode,
        @NotNull @DefaultValue("5m") Duration maxLifetime) {

    @AssertTrue(message = "must be positive")
    boolean isMaxLifetimePositive() {
        return maxLifetime == null || maxLifetime.isPositive();
    }
}
