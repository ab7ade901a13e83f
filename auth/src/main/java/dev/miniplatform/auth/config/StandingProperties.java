package dev.miniplatform.auth.config;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * {@code platform.keycloak.standing.*}: how fresh the platform's knowledge of a person's Keycloak account must be
 * for their token to be honoured (see {@code AccountStandings}).
 *
 * @param enabled       off: a token is honoured until it expires, whatever happened to its account meanwhile
 * @param maxAge        no request is admitted on evidence older than this (Keycloak's last answer, or the token's own
 *                      {@code iat}): a disabled, deleted or signed-out account is refused on every node within it
 * @param refreshAfter  evidence this old is renewed in the background by the next request, so that an active user
 *                      never waits for Keycloak; less than {@code maxAge}
 * @param lookupTimeout how long a request waits for Keycloak's answer before its token alone decides (fail open)
 * @param maxAccounts   accounts remembered per node
 * @param rememberFor   how long an answer is remembered: a refusal keeps refusing the tokens issued before it even
 *                      while Keycloak is unreachable, so keep this longer than the realm's access-token lifespan
 */
@Validated
@ConfigurationProperties("platform.keycloak.standing")
public record StandingProperties(
        @DefaultValue("true") boolean enabled,
        @NotNull @DefaultValue("5s") Duration maxAge,
        @NotNull @DefaultValue("3s") Duration refreshAfter,
        @NotNull @DefaultValue("2s") Duration lookupTimeout,
        @Min(1) @DefaultValue("50000") int maxAccounts,
        @NotNull @DefaultValue("15m") Duration rememberFor) {

    /** Tokens carry {@code iat} in whole seconds: a shorter max-age could not tell a token from the answer after it. */
    static final Duration SHORTEST_MAX_AGE = Duration.ofSeconds(2);

    @AssertTrue(message = "platform.keycloak.standing: max-age must be at least 2s, refresh-after positive and less "
            + "than max-age, remember-for at least max-age")
    public boolean isOrdered() {
        return maxAge == null || refreshAfter == null || rememberFor == null
                || maxAge.compareTo(SHORTEST_MAX_AGE) >= 0 && refreshAfter.isPositive()
                && refreshAfter.compareTo(maxAge) < 0 && rememberFor.compareTo(maxAge) >= 0;
    }
}
