package dev.miniplatform.api.error;

import dev.miniplatform.auth.problem.Problem;
import dev.miniplatform.auth.problem.ProblemType;
import dev.miniplatform.auth.problem.ProblemWriter;
import dev.miniplatform.auth.problem.RequestTrace;
import io.micrometer.tracing.TraceContext;
import dev.miniplatform.model.validation.ConflictException;
import dev.miniplatform.model.validation.FieldError;
import dev.miniplatform.model.validation.InvalidInputException;
import dev.miniplatform.model.validation.NotFoundException;
import dev.miniplatform.api.ops.RequestIdFilter;
import dev.miniplatform.auth.keycloak.IdentityServiceException;
import dev.miniplatform.model.miniprogram.LogoTooLargeException;
import dev.miniplatform.model.miniprogram.UnsupportedLogoFormatException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.r2dbc.spi.R2dbcException;
import org.slf4j.MDC;
import org.springframework.core.annotation.Order;
import org.springframework.core.codec.DecodingException;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.http.HttpStatus;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedException;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponse;
import org.springframework.web.bind.support.WebExchangeBindException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebInputException;
import org.springframework.web.server.WebExceptionHandler;
import reactor.core.publisher.Mono;

import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The one place where failures become RFC 9457 problem bodies: controller exceptions, routing errors (404, 405,
 * 415) and codec limits all end here, and the security entry point uses the same {@link ProblemWriter}.
 * A feature's own failures bring their body ({@link ProblemCarrier}), so this class knows no feature.
 * Ordered before Spring Boot's default handler. Internals (messages of unexpected exceptions, stack traces)
 * never reach the client; the request id in the body finds them in the log.
 */
@Component
@Order(-2)
class ProblemExceptionHandler implements WebExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemExceptionHandler.class);


    private final ProblemWriter writer;

    ProblemExceptionHandler(ProblemWriter writer) {
        this.writer = writer;
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable failure) {
        if (exchange.getResponse().isCommitted()) {
            return Mono.error(failure);
        }
        Problem problem = withRequestIdInLog(exchange, () -> toProblem(failure, exchange));
        if (failure instanceof ErrorResponse response) {
            // e.g. Allow on a 405, Accept on a 415: RFC 9110 wants them with the status
            exchange.getResponse().getHeaders().addAll(response.getHeaders());
        }
        if (problem.status() == ProblemType.PAYLOAD_TOO_LARGE.status().value()) {
            // The rest of the oversized body was never read: the connection cannot be reused safely, and a client
            // that tried would wait for an answer that never comes. Close it after this response.
            exchange.getResponse().getHeaders().setConnection("close");
        }
        if (failure instanceof IdentityServiceException unavailable) {
            // tell clients when Keycloak may be back: the circuit breaker's open period
            exchange.getResponse().getHeaders().set("Retry-After",
                    Long.toString(Math.max(1, unavailable.retryAfter().toSeconds())));
        }
        return writer.write(exchange, problem);
    }

    Problem toProblem(Throwable failure, ServerWebExchange exchange) {
        return switch (failure) {
            case InvalidInputException invalid ->
                    Problem.of(ProblemType.VALIDATION, invalid.getMessage()).withErrors(invalid.errors());
            case WebExchangeBindException bind ->
                    Problem.of(ProblemType.VALIDATION, "Some fields are invalid").withErrors(fieldErrors(bind));
            case NotFoundException notFound -> Problem.of(ProblemType.NOT_FOUND, notFound.getMessage());
            case ProblemCarrier carrier -> carrier.problem();
            case LogoTooLargeException tooLarge -> Problem.of(ProblemType.PAYLOAD_TOO_LARGE, tooLarge.getMessage());
            case DuplicateKeyException raced -> Problem.of(ProblemType.CONFLICT,
                    "Someone else changed this at the same moment; reload and try again.");
            case UnsupportedLogoFormatException unsupported ->
                    Problem.of(ProblemType.UNSUPPORTED_MEDIA_TYPE, unsupported.getMessage());
            case ConflictException conflict -> conflict(conflict);
            case OptimisticLockingFailureException stale -> Problem.of(ProblemType.CONFLICT,
                    "The resource was changed by someone else; reload it and apply your change again.");
            case PessimisticLockingFailureException contended -> contended(contended, exchange);
            case DataBufferLimitException tooLarge -> Problem.of(ProblemType.PAYLOAD_TOO_LARGE,
                    "The request body exceeds the limit for this endpoint.");
            case ServerWebInputException input when input.getCause() instanceof DataBufferLimitException ->
                    Problem.of(ProblemType.PAYLOAD_TOO_LARGE, "The request body exceeds the limit for this endpoint.");
            case ServerWebInputException input -> unreadable(input);
            case ServerExchangeRejectedException rejected -> Problem.of(ProblemType.MALFORMED_REQUEST,
                    "The request was refused because its URL, a header or a parameter is not acceptable.");
            case ErrorResponse response when response.getStatusCode().is5xxServerError() -> internal(failure, exchange);
            case ErrorResponse response -> fromStatus(response);
            case DataAccessException data when dataException(data).isPresent() -> unstorable(data, exchange);
            case IdentityServiceException keycloak -> upstream(keycloak, exchange);
            default -> internal(failure, exchange);
        };
    }

    /** A parameter or body Spring could not bind: name the field when we know it, else say what could not be read. */
    private static Problem unreadable(ServerWebInputException input) {
        List<FieldError> errors = InputErrors.of(input);
        if (!errors.isEmpty()) {
            return Problem.of(ProblemType.VALIDATION, "Some fields are invalid").withErrors(errors);
        }
        if (input.getCause() instanceof DecodingException) {
            return Problem.of(ProblemType.MALFORMED_REQUEST, "The request body is not valid JSON for this endpoint.");
        }
        return Problem.of(ProblemType.MALFORMED_REQUEST,
                input.getReason() == null ? "The request could not be read." : input.getReason());
    }

    /**
     * PostgreSQL aborted the transaction as a deadlock victim or a serialization failure (SQLSTATE 40P01, 40001):
     * nothing was written, and the same request may succeed when sent again. A 409 tells the client so; the
     * warning tells us, because the code is meant to take its locks in one order (e.g. release actions lock the
     * mini program first).
     */
    private static Problem contended(PessimisticLockingFailureException contended, ServerWebExchange exchange) {
        log.warn("Transaction aborted by the database serving {} {}: {}", exchange.getRequest().getMethod(),
                exchange.getRequest().getPath(), contended.getMostSpecificCause().getMessage());
        return Problem.of(ProblemType.CONFLICT, "Someone else changed this at the same moment; send the request again.");
    }

    private static Problem conflict(ConflictException conflict) {
        Problem problem = Problem.of(ProblemType.CONFLICT, conflict.getMessage());
        return conflict.currentState() == null ? problem : problem.withState(conflict.currentState(), conflict.allowedActions());
    }

    private static Problem fromStatus(ErrorResponse response) {
        ProblemType type = ProblemType.forStatus(response.getStatusCode().value());
        // a 404's default detail names internals ("No static resource …"); say only what the client needs
        String detail = response.getStatusCode().value() == HttpStatus.NOT_FOUND.value()
                ? "There is nothing at this path." : response.getBody().getDetail();
        Problem problem = Problem.of(type, detail == null ? type.title() : detail);
        // keep a 4xx status we have no dedicated type for (e.g. 408) instead of bending it to 400
        return problem.status() == response.getStatusCode().value() ? problem
                : new Problem(problem.type(), problem.title(), response.getStatusCode().value(), problem.detail(),
                null, null, null, null, null, null, null);
    }

    private static List<FieldError> fieldErrors(WebExchangeBindException bind) {
        return bind.getFieldErrors().stream()
                .map(error -> new FieldError(error.getField(), String.valueOf(error.getCode()), error.getDefaultMessage()))
                .toList();
    }

    /**
     * SQL state class 22 ("data exception": NUL in text, a value too long, a number out of range, text that is
     * not a UUID) means the client's input reached the database unchecked. It is a 400, never a 500; the WARN
     * line tells us which check is missing.
     */
    private static Optional<String> dataException(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof R2dbcException r2dbc && r2dbc.getSqlState() != null && r2dbc.getSqlState().startsWith("22")) {
                return Optional.of(r2dbc.getSqlState());
            }
        }
        return Optional.empty();
    }

    private static Problem unstorable(DataAccessException failure, ServerWebExchange exchange) {
        log.warn("Input the application did not check reached the database while serving {} {}: SQL state {}",
                exchange.getRequest().getMethod(), exchange.getRequest().getPath(), dataException(failure).orElse("?"));
        return Problem.of(ProblemType.MALFORMED_REQUEST,
                "The request contains a value that cannot be stored or compared (e.g. a NUL character or an out-of-range number).");
    }

    /**
     * The handler runs outside the request's Reactor Context, so the request id and the trace ids (the keys the log
     * pattern's correlation id reads) are put in the MDC by hand.
     */
    private static Problem withRequestIdInLog(ServerWebExchange exchange, Supplier<Problem> mapping) {
        TraceContext trace = RequestTrace.of(exchange).orElse(TraceContext.NOOP);
        try (MDC.MDCCloseable ignored = MDC.putCloseable(RequestIdFilter.CONTEXT_KEY, exchange.getRequest().getId());
             MDC.MDCCloseable traceId = MDC.putCloseable("traceId", trace.traceId());
             MDC.MDCCloseable spanId = MDC.putCloseable("spanId", trace.spanId())) {
            return mapping.get();
        }
    }

    private static Problem upstream(Throwable failure, ServerWebExchange exchange) {
        log.warn("Keycloak call failed while serving {} {}: {}", exchange.getRequest().getMethod(),
                exchange.getRequest().getPath(), failure.toString());
        return Problem.of(ProblemType.UPSTREAM_UNAVAILABLE, "The identity service did not complete the request; try again.");
    }

    private static Problem internal(Throwable failure, ServerWebExchange exchange) {
        log.error("Unexpected failure serving {} {}", exchange.getRequest().getMethod(), exchange.getRequest().getPath(), failure);
        return Problem.of(ProblemType.INTERNAL, "Something went wrong on our side. Quote the request id when reporting it.");
    }
}
