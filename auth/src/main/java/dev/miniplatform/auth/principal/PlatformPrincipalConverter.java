package dev.miniplatform.auth.principal;

import dev.miniplatform.auth.config.KeycloakProperties;
import org.springframework.core.convert.converter.Converter;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import reactor.core.publisher.Mono;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Turns a validated Keycloak access token into one of the four kinds of platform caller, by the client that
 * obtained it ({@code azp}): a console client → a person; an {@code isv-} client → an ISV application acting
 * for the merchant named in the {@code organization} claim; a {@code wallet-} client → a wallet; a {@code ci-}
 * client → a workspace's CI key (see {@link PlatformPrincipal.CiKey}). Tokens of any other client are refused,
 * including the dev-only password-grant client unless {@code platform.keycloak.password-grant-clients} names it. Scopes become {@code SCOPE_x} authorities, realm roles of people {@code ROLE_x}.
 * Runs on every request, after the token's verification (which may be cached), so a person Keycloak has cut off
 * since the token was issued is refused here ({@link AccountStandings}) however often the token was seen before.
 */
public class PlatformPrincipalConverter implements Converter<Jwt, Mono<AbstractAuthenticationToken>> {

    private final KeycloakProperties properties;
    private final AccountStandings standings;

    public PlatformPrincipalConverter(KeycloakProperties properties, AccountStandings standings) {
        this.properties = properties;
        this.standings = standings;
    }

    @Override
    public Mono<AbstractAuthenticationToken> convert(Jwt jwt) {
        return Mono.fromCallable(() -> authenticate(jwt))
                .flatMap(standings::admit);
    }

    PlatformAuthentication authenticate(Jwt jwt) {
        String client = jwt.getClaimAsString("azp");
        if (client == null) {
            throw new BadJwtException("token names no authorized party (azp)");
        }
        Set<String> scopes = scopes(jwt);
        if (properties.isPersonClient(client)) {
            Set<String> roles = realmRoles(jwt);
            PlatformPrincipal user = new PlatformPrincipal.ConsoleUser(jwt.getSubject(),
                    jwt.getClaimAsString("preferred_username"), jwt.getClaimAsString("email"), roles,
                    Boolean.TRUE.equals(jwt.getClaimAsBoolean("email_verified")));
            return new PlatformAuthentication(jwt, user, authorities(scopes, roles));
        }
        if (client.startsWith(properties.isvClientPrefix())) {
            PlatformPrincipal isv = new PlatformPrincipal.IsvApplication(client, organization(jwt), jwt.getSubject(), scopes,
                    jwt.getClaimAsString("nonce"));
            return new PlatformAuthentication(jwt, isv, authorities(scopes, Set.of()));
        }
        if (client.startsWith(properties.walletClientPrefix())) {
            PlatformPrincipal wallet = new PlatformPrincipal.WalletClient(client, walletId(jwt), scopes);
            return new PlatformAuthentication(jwt, wallet, authorities(scopes, Set.of()));
        }
        if (client.startsWith(properties.ciKeyClientPrefix())) {
            PlatformPrincipal key = new PlatformPrincipal.CiKey(client, uuidClaim(jwt, "ci_key_id", "a CI key token"),
                    uuidClaim(jwt, "workspace_id", "a CI key token"), jwt.getIssuedAt());
            return new PlatformAuthentication(jwt, key, authorities(scopes, Set.of()));
        }
        throw new BadJwtException("tokens of client '" + client + "' are not accepted by this API");
    }

    private static UUID uuidClaim(Jwt jwt, String claim, String kind) {
        try {
            return UUID.fromString(jwt.getClaimAsString(claim));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new BadJwtException(kind + " must carry a " + claim + " claim naming an id");
        }
    }

    /** A wallet token must name its wallet; without the claim it could only be guessed from the client id. */
    private static UUID walletId(Jwt jwt) {
        return uuidClaim(jwt, "wallet_id", "a wallet token");
    }

    private static Set<String> scopes(Jwt jwt) {
        String scope = jwt.getClaimAsString("scope");
        return scope == null ? Set.of() : Arrays.stream(scope.split(" "))
                .filter(each -> !each.isBlank())
                .collect(Collectors.toUnmodifiableSet());
    }

    private static Set<String> realmRoles(Jwt jwt) {
        Map<String, Object> realmAccess = jwt.getClaimAsMap("realm_access");
        if (realmAccess == null || !(realmAccess.get("roles") instanceof Collection<?> roles)) {
            return Set.of();
        }
        return roles.stream().map(String::valueOf).collect(Collectors.toUnmodifiableSet());
    }

    /**
     * Keycloak writes the claim as a list of aliases, or as a map keyed by alias when the organization mapper
     * adds details. An ISV token must name exactly one merchant.
     */
    private static String organization(Jwt jwt) {
        Object claim = jwt.getClaims().get("organization");
        List<String> aliases = switch (claim) {
            case Collection<?> list -> list.stream().map(String::valueOf).toList();
            case Map<?, ?> map -> map.keySet().stream().map(String::valueOf).toList();
            case String alias -> List.of(alias);
            case null, default -> List.of();
        };
        if (aliases.size() != 1) {
            throw new BadJwtException("an ISV token must name exactly one merchant organization, found " + aliases.size());
        }
        return aliases.getFirst();
    }

    private static List<GrantedAuthority> authorities(Set<String> scopes, Set<String> roles) {
        return Stream.concat(
                        scopes.stream().map(scope -> "SCOPE_" + scope),
                        roles.stream().map(role -> "ROLE_" + role))
                .<GrantedAuthority>map(SimpleGrantedAuthority::new)
                .toList();
    }
}
