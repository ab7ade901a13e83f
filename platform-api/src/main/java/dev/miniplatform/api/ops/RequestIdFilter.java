package dev.miniplatform.api.ops;

import dev.miniplatform.infra.transaction.SafeRequest;
import io.micrometer.context.ContextRegistry;
import io.micrometer.context.ContextSnapshot;
import io.micrometer.context.ContextSnapshotFactory;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import org.slf4j.MDC;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;
import reactor.util.context.Context;

/**
 * Gives every request an id, returned as {@code X-Request-Id}, put in problem bodies and in the Reactor Context
 * (problem bodies also name the request's trace: {@code traceId}).
 * Log lines about a request get it in their MDC ({@code [req=…]}) through {@link #logged} or Reactor's limited
 * context propagation ({@code handle}, {@code tap}); propagation into every operator ({@code auto}) cost about a
 * tenth of the CPU of every request (decision 117).
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
public class RequestIdFilter implements WebFilter {

    public static final String HEADER = "X-Request-Id";
    public static final String CONTEXT_KEY = "requestId";

    private static final ContextSnapshotFactory SNAPSHOTS = ContextSnapshotFactory.builder().build();

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
        boolean safe = HttpMethod.GET.equals(exchange.getRequest().getMethod())
                || HttpMethod.HEAD.equals(exchange.getRequest().getMethod());
        return chain.filter(exchange)
                .contextWrite(context -> {
                    Context withId = context.put(CONTEXT_KEY, requestId);
                    // a safe request changes nothing the console caches: the database holds it to that (V26)
                    return safe ? SafeRequest.mark(withId) : withId;
                });
    }

    /**
     * Writes a log statement with the subscriber's request id and trace (if any) in the MDC; completes empty. The
     * request's observation is restored like the request id: opening its scope puts {@code traceId} and
     * {@code spanId} in the MDC (Micrometer Tracing's Slf4J listener), which the log pattern's correlation id prints.
     */
    public static <T> Mono<T> logged(Runnable statement) {
        return Mono.deferContextual(context -> {
            try (ContextSnapshot.Scope ignored = SNAPSHOTS.setThreadLocalsFrom(context, CONTEXT_KEY,
                    ObservationThreadLocalAccessor.KEY)) {
                statement.run();
            }
            return Mono.empty();
        });
    }
}
