package dev.miniplatform.api.walletapi;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * The wallet read path ({@code platform.wallet.*}).
 *
 * @param cache     caching of answers; {@code enabled=false} sends every read to PostgreSQL (benchmark baseline)
 * @param redis     how the path (and the rate limiter, {@code platform.rate-limit.*}) treats Redis when it fails
 * @param replica   a streaming replica of PostgreSQL for cache misses, the list and the change feed; none by default
 */
@Validated
@ConfigurationProperties("platform.wallet")
record WalletProperties(@Valid @NotNull @DefaultValue Cache cache, @Valid @NotNull @DefaultValue Redis redis,
                        @Valid @NotNull @DefaultValue Replica replica) {

    /**
     * @param nearMaxEntries bound of the in-process near cache (~2.8 KB of heap per entry measured, ~280 MB full)
     * @param nearTtl        how long a near-cache entry lives at most (±10 % jitter)
     * @param refreshAfter   after this a read still gets the entry but one background reload refreshes it
     * @param redisTtl       TTL of a mini program's entry in Redis (±10 % jitter)
     * @param clientMaxAge   {@code Cache-Control: max-age} the wallet may cache an answer for
     * @param followInterval how often each node reads new rows of the change feed to invalidate (safety net)
     */
    public record Cache(@DefaultValue("true") boolean enabled,
                        @DefaultValue("100000") @Min(1) long nearMaxEntries,
                        @DefaultValue("10m") @NotNull Duration nearTtl,
                        @DefaultValue("5m") @NotNull Duration refreshAfter,
                        @DefaultValue("10m") @NotNull Duration redisTtl,
                        @DefaultValue("30s") @NotNull Duration clientMaxAge,
                        @DefaultValue("250ms") @NotNull Duration followInterval) {
    }

    /**
     * @param failureThreshold consecutive Redis failures that open the breaker
     * @param openFor          how long Redis is skipped before one probe
     * @param pendingDeletes   invalidations remembered while Redis is unreachable, replayed before Redis is used
     *                         again
     */
    public record Redis(@DefaultValue("3") @Min(1) int failureThreshold,
                        @DefaultValue("2s") @NotNull Duration openFor,
                        @DefaultValue("100000") @Min(1) int pendingDeletes) {
    }

    /**
     * @param url           R2DBC URL of a hot standby streaming from the primary ({@code r2dbc:postgresql://host:port/db});
     *                      empty: every wallet read goes to the primary
     * @param username      defaults to {@code spring.r2dbc.username} (the replica has the primary's roles)
     * @param password      defaults to {@code spring.r2dbc.password}
     * @param maxLag        a replica that has not replayed what the primary had written this long ago is not read
     * @param probeInterval how often each node measures the replica's lag (two tiny queries)
     * @param timeout       a replica read (or connect) that takes longer is answered by the primary instead
     * @param poolSize      connections to the replica per node
     */
    public record Replica(@DefaultValue("") String url,
                          String username,
                          String password,
                          @DefaultValue("2s") @NotNull Duration maxLag,
                          @DefaultValue("250ms") @NotNull Duration probeInterval,
                          @DefaultValue("1s") @NotNull Duration timeout,
                          @DefaultValue("10") @Min(1) int poolSize) {

        boolean configured() {
            return url != null && !url.isBlank();
        }
    }
}
