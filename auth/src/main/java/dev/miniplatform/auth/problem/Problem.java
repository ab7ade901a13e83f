package dev.miniplatform.auth.problem;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.miniplatform.model.validation.FieldError;

import java.net.URI;
import java.util.List;

/**
 * An RFC 9457 problem body. {@code errors} lists every failing field of a 400; {@code currentState} and
 * {@code allowedActions} explain a 409 on a state machine; {@code quota} the quota a 409 quota-exceeded refers to;
 * {@code requestId} lets support find the log lines, {@code traceId} the request's trace (W3C trace id, also when the
 * trace was not sampled: it is the id a caller's {@code traceparent} carried, or the one this node started).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(
        URI type,
        String title,
        int status,
        String detail,
        String instance,
        String requestId,
        String traceId,
        List<FieldError> errors,
        String currentState,
        List<String> allowedActions,
        Quota quota) {

    /**
     * A quota by the name the usage endpoint gives it ({@code storageBytes}, {@code miniPrograms}), what is used,
     * the limit, and what the refused request needed (absent when refused before that was known).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Quota(String name, long usage, long limit, Long requested) {
    }

    public static Problem of(ProblemType type, String detail) {
        return new Problem(type.uri(), type.title(), type.status().value(), detail, null, null, null, null, null, null, null);
    }

    public Problem withErrors(List<FieldError> fieldErrors) {
        return new Problem(type, title, status, detail, instance, requestId, traceId, List.copyOf(fieldErrors), currentState,
                allowedActions, quota);
    }

    public Problem withState(String state, List<String> actions) {
        return new Problem(type, title, status, detail, instance, requestId, traceId, errors, state, List.copyOf(actions), quota);
    }

    public Problem withQuota(Quota exceeded) {
        return new Problem(type, title, status, detail, instance, requestId, traceId, errors, currentState, allowedActions,
                exceeded);
    }

    /** Where and in which request (and trace, when there is one) the problem was answered. */
    public Problem at(String path, String id, String trace) {
        return new Problem(type, title, status, detail, path, id, trace, errors, currentState, allowedActions, quota);
    }
}
