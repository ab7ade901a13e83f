package dev.miniplatform.auth.problem;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.handler.TracingObservationHandler;
import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;
import org.springframework.web.server.ServerWebExchange;

import java.util.Optional;

/**
 * The trace context of the request an exchange serves: the span of Spring's server observation
 * ({@code http.server.requests}), found through the exchange's attributes, so it is known where the Reactor Context is
 * not (exception handlers, the security entry point). A span that was not sampled still has its ids: a problem body
 * names the trace a caller's {@code traceparent} carried even when this node records nothing of it. Empty when
 * tracing is off.
 */
public final class RequestTrace {

    private RequestTrace() {
    }

    public static Optional<TraceContext> of(ServerWebExchange exchange) {
        return ServerRequestObservationContext.findCurrent(exchange.getAttributes())
                .map(observation -> observation.<TracingObservationHandler.TracingContext>get(
                        TracingObservationHandler.TracingContext.class))
                .map(TracingObservationHandler.TracingContext::getSpan)
                .map(Span::context)
                .filter(trace -> trace.traceId() != null && !trace.traceId().isEmpty());
    }

    /** The W3C trace id (32 hex digits), or null. */
    public static String traceId(ServerWebExchange exchange) {
        return of(exchange).map(TraceContext::traceId).orElse(null);
    }
}
