package dev.miniplatform.auth.principal;

import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.AbstractOAuth2TokenAuthenticationToken;

import java.util.Collection;
import java.util.Map;

/**
 * A validated Keycloak token together with the platform principal it stands for.
 */
public class PlatformAuthentication extends AbstractOAuth2TokenAuthenticationToken<Jwt> {

    private final PlatformPrincipal platformPrincipal;

    PlatformAuthentication(Jwt jwt, PlatformPrincipal principal, Collection<? extends GrantedAuthority> authorities) {
        super(jwt, principal, jwt, authorities);
        this.platformPrincipal = principal;
        setAuthenticated(true);
    }

    public PlatformPrincipal platformPrincipal() {
        return platformPrincipal;
    }

    @Override
    public Map<String, Object> getTokenAttributes() {
        return getToken().getClaims();
    }

    @Override
    public String getName() {
        return platformPrincipal.actorId();
    }
}
