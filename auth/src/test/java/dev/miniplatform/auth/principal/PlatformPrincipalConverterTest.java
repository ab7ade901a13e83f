package dev.miniplatform.auth.principal;

import dev.miniplatform.auth.config.KeycloakProperties;
import dev.miniplatform.auth.config.StandingProperties;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import reactor.core.publisher.Mono;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PlatformPrincipalConverterTest {

    private final PlatformPrincipalConverter converter = converter(Set.of("platform-cli"));

    /** As configured in production: no password-grant client trusted. */
    private final PlatformPrincipalConverter production = converter(Set.of());

    private static PlatformPrincipalConverter converter(Set<String> passwordGrantClients) {
        return new PlatformPrincipalConverter(new KeycloakProperties(
                "http://127.0.0.1:8180", "platform", "platform-api", Set.of("platform-console"), passwordGrantClients,
                "isv-", "wallet-", "ci-", "platform-backend", "secret"), standingsOff());
    }

    /** Who Keycloak still stands behind is AccountStandingsTest's matter; here no token is checked against Keycloak. */
    private static AccountStandings standingsOff() {
        return new AccountStandings(
                new AccountStandings.Lookups(user -> Mono.error(new AssertionError("Keycloak asked")),
                        () -> Mono.error(new AssertionError("Keycloak asked"))),
                new StandingProperties(false, Duration.ofSeconds(5), Duration.ofSeconds(3), Duration.ofSeconds(2), 100,
                        Duration.ofMinutes(15)),
                Clock.systemUTC(), new SimpleMeterRegistry());
    }

    @Test
    void passwordGrantClientTokensArePeopleOnlyWhereThatClientIsListed() {
        Jwt cli = token(Map.of("azp", "platform-cli", "sub", "user-1", "preferred_username", "li",
                "email", "li@example.com"));

        assertThat(converter.authenticate(cli).platformPrincipal())
                .isEqualTo(new PlatformPrincipal.ConsoleUser("user-1", "li", "li@example.com", Set.of()));
        assertThatThrownBy(() -> production.authenticate(cli))
                .isInstanceOf(BadJwtException.class)
                .hasMessageContaining("platform-cli");
        // the console client itself is trusted either way
        assertThat(production.authenticate(token(Map.of("azp", "platform-console", "sub", "user-1")))
                .platformPrincipal()).isInstanceOf(PlatformPrincipal.ConsoleUser.class);
    }

    @Test
    void consoleClientTokenIsAPersonWithRealmRolesAsAuthorities() {
        Jwt jwt = token(Map.of("azp", "platform-console", "sub", "user-1", "preferred_username", "li",
                "email", "li@example.com", "scope", "openid email",
                "realm_access", Map.of("roles", List.of("platform-reviewer"))));

        PlatformAuthentication authentication = converter.authenticate(jwt);

        assertThat(authentication.platformPrincipal()).isEqualTo(new PlatformPrincipal.ConsoleUser(
                "user-1", "li", "li@example.com", Set.of("platform-reviewer")));
        assertThat(authentication.getAuthorities()).extracting(GrantedAuthority::getAuthority)
                .containsExactlyInAnyOrder("SCOPE_openid", "SCOPE_email", "ROLE_platform-reviewer");
    }

    @Test
    void aConsoleUsersAddressCountsAsVerifiedOnlyWhenTheTokenSaysSoExplicitly() {
        Map<String, Object> base = Map.of("azp", "platform-console", "sub", "user-1", "email", "li@example.com");
        Map<String, Object> verified = new java.util.HashMap<>(base);
        verified.put("email_verified", true);
        Map<String, Object> unverified = new java.util.HashMap<>(base);
        unverified.put("email_verified", false);

        assertThat(consoleUser(verified).emailVerified()).isTrue();
        assertThat(consoleUser(unverified).emailVerified()).isFalse();
        assertThat(consoleUser(base).emailVerified()).isFalse();
    }

    private PlatformPrincipal.ConsoleUser consoleUser(Map<String, Object> claims) {
        return (PlatformPrincipal.ConsoleUser) converter.authenticate(token(claims)).platformPrincipal();
    }

    @Test
    void isvClientTokenActsForTheOneMerchantOrganizationWithConsentedScopesOnly() {
        Jwt jwt = token(Map.of("azp", "isv-lakeside", "sub", "merchant-user", "scope", "miniprogram:read miniprogram:write",
                "organization", List.of("tenant-42"), "realm_access", Map.of("roles", List.of("platform-admin")),
                "nonce", "authorization-7"));

        PlatformAuthentication authentication = converter.authenticate(jwt);

        assertThat(authentication.platformPrincipal()).isEqualTo(new PlatformPrincipal.IsvApplication(
                "isv-lakeside", "tenant-42", "merchant-user", Set.of("miniprogram:read", "miniprogram:write"),
                "authorization-7"));
        // realm roles of the consenting person never leak into the ISV application's authorities
        assertThat(authentication.getAuthorities()).extracting(GrantedAuthority::getAuthority)
                .containsExactlyInAnyOrder("SCOPE_miniprogram:read", "SCOPE_miniprogram:write");
    }

    @Test
    void isvTokenWithOrganizationDetailsMapIsReadByAlias() {
        Jwt jwt = token(Map.of("azp", "isv-lakeside", "sub", "u", "scope", "miniprogram:read",
                "organization", Map.of("tenant-42", Map.of("id", "kc-id"))));

        assertThat(converter.authenticate(jwt).platformPrincipal())
                .isInstanceOfSatisfying(PlatformPrincipal.IsvApplication.class,
                        isv -> assertThat(isv.merchantOrganization()).isEqualTo("tenant-42"));
    }

    @Test
    void isvTokenWithoutExactlyOneMerchantIsRefused() {
        assertThatThrownBy(() -> converter.authenticate(token(Map.of("azp", "isv-x", "sub", "u", "scope", "a"))))
                .isInstanceOf(BadJwtException.class);
        assertThatThrownBy(() -> converter.authenticate(token(Map.of("azp", "isv-x", "sub", "u", "scope", "a",
                "organization", List.of("t1", "t2")))))
                .isInstanceOf(BadJwtException.class);
    }

    @Test
    void walletClientTokenIsAWalletNamedByItsWalletIdClaim() {
        UUID walletId = UUID.randomUUID();
        Jwt jwt = token(Map.of("azp", "wallet-demo", "sub", "service-account", "scope", "metadata:read",
                "wallet_id", walletId.toString()));

        assertThat(converter.authenticate(jwt).platformPrincipal())
                .isEqualTo(new PlatformPrincipal.WalletClient("wallet-demo", walletId, Set.of("metadata:read")));
    }

    @Test
    void walletTokenWithoutAWalletIdIsRefused() {
        assertThatThrownBy(() -> converter.authenticate(token(Map.of("azp", "wallet-demo", "sub", "s",
                "scope", "metadata:read"))))
                .isInstanceOf(BadJwtException.class);
        assertThatThrownBy(() -> converter.authenticate(token(Map.of("azp", "wallet-demo", "sub", "s",
                "scope", "metadata:read", "wallet_id", "not-a-uuid"))))
                .isInstanceOf(BadJwtException.class);
    }

    @Test
    void ciKeyTokenIsTheKeyOfItsWorkspaceWithItsIssueTime() {
        UUID keyId = UUID.randomUUID();
        UUID workspaceId = UUID.randomUUID();
        Instant issued = Instant.parse("2026-12-06T01:00:00Z");
        Jwt jwt = Jwt.withTokenValue("t").header("alg", "RS256")
                .claims(all -> all.putAll(Map.of("azp", "ci-deploy-1a2b3c", "sub", "service-account",
                        "ci_key_id", keyId.toString(), "workspace_id", workspaceId.toString())))
                .issuedAt(issued).expiresAt(issued.plusSeconds(300)).build();

        assertThat(converter.authenticate(jwt).platformPrincipal())
                .isEqualTo(new PlatformPrincipal.CiKey("ci-deploy-1a2b3c", keyId, workspaceId, issued));
    }

    @Test
    void ciKeyTokenWithoutItsKeyOrWorkspaceIsRefused() {
        String id = UUID.randomUUID().toString();
        assertThatThrownBy(() -> converter.authenticate(token(Map.of("azp", "ci-x", "sub", "s", "workspace_id", id))))
                .isInstanceOf(BadJwtException.class);
        assertThatThrownBy(() -> converter.authenticate(token(Map.of("azp", "ci-x", "sub", "s", "ci_key_id", id))))
                .isInstanceOf(BadJwtException.class);
        assertThatThrownBy(() -> converter.authenticate(token(Map.of("azp", "ci-x", "sub", "s", "ci_key_id", id,
                "workspace_id", "../other"))))
                .isInstanceOf(BadJwtException.class);
    }

    @Test
    void tokensOfOtherClientsAreRefused() {
        assertThatThrownBy(() -> converter.authenticate(token(Map.of("azp", "account-console", "sub", "u"))))
                .isInstanceOf(BadJwtException.class);
        assertThatThrownBy(() -> converter.authenticate(token(Map.of("sub", "u"))))
                .isInstanceOf(BadJwtException.class);
    }

    private static Jwt token(Map<String, Object> claims) {
        return Jwt.withTokenValue("t")
                .header("alg", "RS256")
                .claims(all -> all.putAll(claims))
                .issuedAt(Instant.now())
                .expiresAt(Instant.now().plusSeconds(60))
                .build();
    }
}
