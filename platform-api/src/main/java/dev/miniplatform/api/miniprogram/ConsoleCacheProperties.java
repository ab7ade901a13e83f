package dev.miniplatform.api.miniprogram;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * {@code platform.console-cache}: the console's cached read of one mini program (decision 164).
 *
 * @param enabled          false: every read goes to PostgreSQL
 * @param maxEntries       entries per node (one per user × mini program read; a few KB each)
 * @param maxAge           the longest an entry is served, whatever the epoch says
 * @param failureThreshold Redis failures in a row that open the circuit breaker
 * @param openFor          how long reads skip Redis (and the cache) once the breaker opened
 * @param announceWithin   how long, from the first change this node could not announce, a write waits for Redis to
 *                         take its new epoch before it is answered anyway (a Redis Cluster failover, seen by the nodes
 *                         one after another); 0 answers at once
 */
@Validated
@ConfigurationProperties("platform.console-cache")
record ConsoleCacheProperties(@DefaultValue("true") boolean enabled,
                              @DefaultValue("20000") @Min(1) int maxEntries,
                              @DefaultValue("30s") @NotNull Duration maxAge,
                              @DefaultValue("3") @Min(1) int failureThreshold,
                              @DefaultValue("2s") @NotNull Duration openFor,
                              @DefaultValue("10s") @NotNull Duration announceWithin) {
}
