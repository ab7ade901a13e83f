package dev.miniplatform.auth.config;

import dev.miniplatform.auth.keycloak.KeycloakAdmin;
import dev.miniplatform.auth.principal.PlatformAuthentication;
import dev.miniplatform.auth.principal.PlatformPrincipal;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.ReactiveAuthorizationManager;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.server.authorization.AuthorizationContext;
import reactor.core.publisher.Mono;

/**
 * Who may use the wallet API and who may not use the rest: a scope alone is not enough, because another kind of
 * client could be granted {@code metadata:read} by mistake; the caller must be a wallet client too.
 */
public final class WalletAccess {

    public static final ReactiveAuthorizationManager<AuthorizationContext> WALLET_WITH_METADATA_SCOPE =
            (authentication, context) -> authentication
                    .map(WalletAccess::isWalletWithScope)
                    .defaultIfEmpty(false)
                    .map(AuthorizationDecision::new);

    /** Authenticated, and not a wallet: wallet tokens are refused on the console and ISV API. */
    public static final ReactiveAuthorizationManager<AuthorizationContext> NOT_A_WALLET =
            (authentication, context) -> authentication
                    .map(auth -> auth.isAuthenticated() && !isWallet(auth))
                    .defaultIfEmpty(false)
                    .map(AuthorizationDecision::new);

    private WalletAccess() {
    }

    private static boolean isWalletWithScope(Authentication authentication) {
        return authentication instanceof PlatformAuthentication platform
                && platform.platformPrincipal() instanceof PlatformPrincipal.WalletClient wallet
                && wallet.scopes().contains(KeycloakAdmin.WALLET_SCOPE);
    }

    private static boolean isWallet(Authentication authentication) {
        return authentication instanceof PlatformAuthentication platform
                && platform.platformPrincipal() instanceof PlatformPrincipal.WalletClient;
    }
}
