package dev.miniplatform.api.ops;

import io.micrometer.context.ContextRegistry;
import org.slf4j.MDC;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Gives every request an id, returned as {@code X-Request-Id}, put in problem bodies and, through the Reactor
 * Context and context propagation, in the MDC of every log line written while the request is served.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
public class RequestIdFilter implements WebFilter {

    public static final String HEADER = "X-Request-Id";
    public static final String CONTEXT_KEY = "requestId";

    static {
        ContextRegistry.getInstance().registerThreadLocalAccessor(CONTEXT_KEY,
                () -> MDC.get(CONTEXT_KEY),
                value -> MDC.put(CONTEXT_KEY, value),
                () -> MDC.remove(CONTEXT_KEY));
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String requestId = exchange.getRequest().getId();
        exchange.getResponse().getHeaders().set(HEADER, requestId);
        return chain.filter(exchange)
                .contextWrite(context -> context.put(CONTEXT_KEY, requestId));
    }
}
