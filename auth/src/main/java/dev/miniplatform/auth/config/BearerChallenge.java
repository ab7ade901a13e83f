package dev.miniplatform.auth.config;

import org.springframework.http.HttpHeaders;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.server.resource.BearerTokenErrorCodes;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.web.server.ServerWebExchange;

/**
 * The {@code WWW-Authenticate} challenge of RFC 6750 §3 that goes with every 401 and every scope 403, so a
 * client can tell "log in" from "your token is bad" from "your token lacks a scope". Descriptions are fixed
 * texts: the decoder's own messages name algorithms and key ids, which help an attacker more than a client.
 */
public final class BearerChallenge {

    private static final String REALM = "Bearer realm=\"platform\"";

    private BearerChallenge() {
    }

    static void unauthenticated(ServerWebExchange exchange, AuthenticationException failure) {
        String challenge = tokenWasSent(exchange) || failure instanceof OAuth2AuthenticationException
                ? REALM + ", error=\"" + errorCode(failure) + "\", error_description=\"The access token is missing, malformed, expired, revoked or not issued for this API.\""
                : REALM;
        exchange.getResponse().getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, challenge);
    }

    /** For a token that verified but whose caller the platform no longer admits (a revoked or rotated CI key). */
    public static void invalidToken(ServerWebExchange exchange) {
        unauthenticated(exchange, new InvalidBearerTokenException("refused"));
    }

    static void insufficientScope(ServerWebExchange exchange) {
        exchange.getResponse().getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, REALM
                + ", error=\"" + BearerTokenErrorCodes.INSUFFICIENT_SCOPE + "\""
                + ", error_description=\"The access token does not grant this operation.\"");
    }

    private static boolean tokenWasSent(ServerWebExchange exchange) {
        return exchange.getRequest().getHeaders().containsHeader(HttpHeaders.AUTHORIZATION);
    }

    private static String errorCode(AuthenticationException failure) {
        if (failure instanceof OAuth2AuthenticationException oauth
                && BearerTokenErrorCodes.INVALID_REQUEST.equals(oauth.getError().getErrorCode())) {
            return BearerTokenErrorCodes.INVALID_REQUEST;
        }
        return BearerTokenErrorCodes.INVALID_TOKEN;
    }
}
