package dev.miniplatform.auth.config;

import org.springframework.security.authorization.AuthorityReactiveAuthorizationManager;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.authorization.ReactiveAuthorizationManager;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.server.authorization.AuthorizationContext;
import reactor.core.publisher.Mono;

import java.net.InetSocketAddress;

/**
 * Who may read operational data (metrics): a person holding the realm role {@value #ROLE}, or anyone who reaches
 * the separate management port ({@code management.server.port}) when one is configured, because that port is
 * only reachable from the operator's network (see docs/operations.md). Health details use the same role through
 * {@code management.endpoint.health.roles}.
 */
public final class OperatorAccess implements ReactiveAuthorizationManager<AuthorizationContext> {

    public static final String ROLE = "platform-operator";

    private final ReactiveAuthorizationManager<AuthorizationContext> operator = AuthorityReactiveAuthorizationManager.hasRole(ROLE);
    private final int managementPort;

    /** @param managementPort the separate management port, or a value below 1 when there is none */
    public OperatorAccess(int managementPort) {
        this.managementPort = managementPort;
    }

    @Override
    public Mono<AuthorizationResult> authorize(Mono<Authentication> authentication, AuthorizationContext context) {
        if (arrivedOnManagementPort(context)) {
            return Mono.just(new AuthorizationDecision(true));
        }
        return operator.authorize(authentication, context);
    }

    private boolean arrivedOnManagementPort(AuthorizationContext context) {
        InetSocketAddress local = context.getExchange().getRequest().getLocalAddress();
        return managementPort > 0 && local != null && local.getPort() == managementPort;
    }
}
