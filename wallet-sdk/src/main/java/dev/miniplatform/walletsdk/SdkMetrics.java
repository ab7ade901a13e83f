package dev.miniplatform.walletsdk;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;

/**
 * The SDK's meters, all named {@code wallet.sdk.*}, on the registry the user passes.
 */
final class SdkMetrics {

    private final MeterRegistry registry;

    SdkMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    MeterRegistry registry() {
        return registry;
    }

    /** One HTTP exchange (an attempt, not a call): outcome ok, not_modified, not_found, rate_limited, server_error, client_error, io_error. */
    void request(String operation, String outcome, Duration latency) {
        Counter.builder("wallet.sdk.requests")
                .description("HTTP exchanges with the wallet API, by operation and outcome")
                .tags("operation", operation, "outcome", outcome)
                .register(registry)
                .increment();
        Timer.builder("wallet.sdk.request.latency")
                .description("time of one HTTP exchange with the wallet API")
                .tags("operation", operation)
                .register(registry)
                .record(latency);
    }

    /** A call that gave up: retries spent or the deadline passed. */
    void failedCall(String operation, String reason) {
        Counter.builder("wallet.sdk.calls.failed")
                .tags("operation", operation, "reason", reason)
                .register(registry)
                .increment();
    }

    void tokenRefresh(String outcome) {
        Counter.builder("wallet.sdk.token.refreshes")
                .description("client credentials grants asked of Keycloak")
                .tag("outcome", outcome)
                .register(registry)
                .increment();
    }
}
