package dev.miniplatform.auth.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * {@code platform.keycloak.admin.*}: how the platform talks to Keycloak's admin API. A Keycloak that is slow or
 * gone must cost a bounded wait, then nothing: every call has connect and read timeouts, and a circuit breaker
 * refuses calls at once while Keycloak keeps failing.
 *
 * @param url            where the admin API is reached, when not at {@code platform.keycloak.url} (e.g. an internal
 *                       address); empty = the same
 * @param connectTimeout TCP connect limit
 * @param readTimeout    limit for each response (also the token request of the service account)
 * @param poolSize       HTTP connections to Keycloak; a call waits at most {@code connectTimeout} for a free one
 * @param breaker        when to stop calling
 */
@Validated
@ConfigurationProperties("platform.keycloak.admin")
public record KeycloakAdminProperties(
        @DefaultValue("") String url,
        @NotNull @DefaultValue("2s") Duration connectTimeout,
        @NotNull @DefaultValue("10s") Duration readTimeout,
        @Min(1) @Max(200) @DefaultValue("10") int poolSize,
        @Valid @NotNull @DefaultValue Breaker breaker) {

    /**
     * A count-based window over the last {@code window} calls: at {@code failureRatePercent} failures among at least
     * {@code minimumCalls}, the breaker opens for {@code openFor}; then {@code probeCalls} trial calls decide.
     * Only Keycloak being unreachable, timing out or answering 5xx counts as a failure; a 4xx is an answer.
     */
    public record Breaker(
            @Min(1) @DefaultValue("10") int window,
            @Min(1) @DefaultValue("5") int minimumCalls,
            @Min(1) @Max(100) @DefaultValue("50") int failureRatePercent,
            @NotNull @DefaultValue("10s") Duration openFor,
            @Min(1) @DefaultValue("2") int probeCalls) {
    }

    public String urlOr(String fallback) {
        return url == null || url.isBlank() ? fallback : url;
    }
}
