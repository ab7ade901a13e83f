package dev.miniplatform.auth.config;

import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * A step of the security chain that runs once the caller is known (its token verified, or no token sent) and
 * before access is decided: what it refuses costs the caller and nothing else, whatever the request would have
 * been answered (404, 403, 401). Beans of this type are placed there by {@link SecurityConfiguration}; they are
 * deliberately not {@code WebFilter}s, which WebFlux would also run a second time outside the chain.
 */
@FunctionalInterface
public interface CallerFilter {

    Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain);
}
