package dev.miniplatform.auth.problem;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes a problem body straight to the response, for the places that run before any controller: the security
 * entry point, the access-denied handler and web filters.
 */
public class ProblemWriter {

    private final JsonMapper jsonMapper;

    public ProblemWriter(JsonMapper jsonMapper) {
        this.jsonMapper = jsonMapper;
    }

    public Mono<Void> write(ServerWebExchange exchange, Problem problem) {
        ServerHttpResponse response = exchange.getResponse();
        Problem located = problem.at(exchange.getRequest().getPath().value(), exchange.getRequest().getId(),
                RequestTrace.traceId(exchange));
        response.setRawStatusCode(problem.status());
        response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        DataBuffer body = response.bufferFactory().wrap(jsonMapper.writeValueAsBytes(located));
        return response.writeWith(Mono.just(body));
    }
}
