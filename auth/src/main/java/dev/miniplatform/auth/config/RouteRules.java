package dev.miniplatform.auth.config;

import org.springframework.security.config.web.server.ServerHttpSecurity;

/**
 * The application's part of the security chain: which of its paths are public and which caller each of the others
 * needs. Auth provides the machinery (token checks, the principal, {@link WalletAccess}, {@link OperatorAccess}, the
 * problem answers) and knows no route of its own; {@link SecurityConfiguration} applies the beans of this type in
 * their {@code @Order} and denies every request that none of their rules names.
 */
@FunctionalInterface
public interface RouteRules {

    void authorize(ServerHttpSecurity.AuthorizeExchangeSpec exchanges);
}
