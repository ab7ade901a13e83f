package dev.miniplatform.api.error;

import dev.miniplatform.auth.problem.Problem;
import dev.miniplatform.auth.problem.ProblemType;
import dev.miniplatform.auth.problem.ProblemWriter;
import dev.miniplatform.model.validation.FieldError;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.util.MultiValueMap;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Refuses requests whose shape no endpoint accepts, before security and routing, with a problem body:
 * a URI Java cannot parse (marked by {@link MalformedUriGuard}) (400), a request line longer than {@code platform.http.max-uri-length} (414), headers larger than
 * {@code platform.http.max-header-size} (431), and a query parameter holding NUL (400 naming it). NUL is the one
 * character PostgreSQL cannot store or compare in text, so a parameter that reaches SQL with it would fail as a
 * 500; the path cannot carry one (the URL firewall refuses {@code %00}).
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
class RequestShapeFilter implements WebFilter {

    private static final char NUL = '\u0000';

    private final ProblemWriter problems;
    private final long maxUriLength;
    private final long maxHeaderSize;

    RequestShapeFilter(ProblemWriter problems, RequestLimitsProperties limits) {
        this.problems = problems;
        this.maxUriLength = limits.maxUriLength().toBytes();
        this.maxHeaderSize = limits.maxHeaderSize().toBytes();
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        if (request.getURI().getRawPath().equals(MalformedUriGuard.MALFORMED_PATH)) {
            return refuse(exchange, Problem.of(ProblemType.MALFORMED_REQUEST,
                    "The request URI is malformed (e.g. a '%' not followed by two hexadecimal digits, or a raw space)."));
        }
        if (uriLength(request) > maxUriLength) {
            return refuse(exchange, Problem.of(ProblemType.URI_TOO_LONG,
                    "The request URI is longer than " + maxUriLength + " bytes."));
        }
        if (headerSize(request.getHeaders()) > maxHeaderSize) {
            return refuse(exchange, Problem.of(ProblemType.HEADERS_TOO_LARGE,
                    "The request headers are larger than " + maxHeaderSize + " bytes."));
        }
        List<FieldError> nulParameters = nulParameters(request.getQueryParams());
        if (!nulParameters.isEmpty()) {
            return refuse(exchange, Problem.of(ProblemType.VALIDATION, "Some parameters are invalid").withErrors(nulParameters));
        }
        return chain.filter(exchange);
    }

    private Mono<Void> refuse(ServerWebExchange exchange, Problem problem) {
        // the body (if any) is not read: do not leave the client waiting to reuse a connection with bytes in flight
        exchange.getResponse().getHeaders().setConnection("close");
        return problems.write(exchange, problem);
    }

    private static long uriLength(ServerHttpRequest request) {
        String query = request.getURI().getRawQuery();
        return request.getURI().getRawPath().length() + (query == null ? 0 : query.length() + 1);
    }

    private static long headerSize(HttpHeaders headers) {
        long size = 0;
        for (Map.Entry<String, List<String>> header : headers.headerSet()) {
            for (String value : header.getValue()) {
                size += header.getKey().length() + value.length() + 4;
            }
        }
        return size;
    }

    private static List<FieldError> nulParameters(MultiValueMap<String, String> parameters) {
        List<FieldError> errors = new ArrayList<>();
        parameters.forEach((name, values) -> {
            boolean nul = name.indexOf(NUL) >= 0 || values.stream().anyMatch(value -> value != null && value.indexOf(NUL) >= 0);
            if (nul) {
                errors.add(new FieldError(name.replace(NUL, '\uFFFD'), "characters", "must not contain the NUL character"));
            }
        });
        return errors;
    }
}
