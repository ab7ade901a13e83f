package dev.miniplatform.api.error;

import dev.miniplatform.model.validation.FieldError;
import org.springframework.beans.TypeMismatchException;
import org.springframework.core.MethodParameter;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.MissingRequestValueException;
import org.springframework.web.server.ServerWebInputException;
import tools.jackson.core.JacksonException;

import java.util.List;
import java.util.Optional;

/**
 * Names the field behind a request Spring could not bind: a query parameter or path variable of the wrong type
 * ({@code ?page=abc}), a missing one, or a JSON body property of the wrong type ({@code "grayPercent": "x"}).
 * Clients get the same {@code errors} list as for a rule a value object refused.
 */
final class InputErrors {

    private InputErrors() {
    }

    static List<FieldError> of(ServerWebInputException input) {
        return switch (input) {
            case MissingRequestValueException missing ->
                    List.of(new FieldError(missing.getName(), "required", "is required"));
            case ServerWebInputException typed when typed.getCause() instanceof TypeMismatchException mismatch ->
                    List.of(new FieldError(parameterName(typed.getMethodParameter(), mismatch), "type",
                            "must be " + typeName(mismatch.getRequiredType())));
            default -> bodyField(input)
                    .map(field -> List.of(new FieldError(field, "type", "has the wrong type or format")))
                    .orElse(List.of());
        };
    }

    private static String parameterName(MethodParameter parameter, TypeMismatchException mismatch) {
        if (mismatch.getPropertyName() != null) {
            return mismatch.getPropertyName();
        }
        if (parameter == null) {
            return "parameter";
        }
        RequestParam query = parameter.getParameterAnnotation(RequestParam.class);
        if (query != null && !query.name().isEmpty()) {
            return query.name();
        }
        PathVariable path = parameter.getParameterAnnotation(PathVariable.class);
        if (path != null && !path.name().isEmpty()) {
            return path.name();
        }
        RequestHeader header = parameter.getParameterAnnotation(RequestHeader.class);
        if (header != null && !header.name().isEmpty()) {
            return header.name();
        }
        return String.valueOf(parameter.getParameterName());
    }

    private static String typeName(Class<?> type) {
        if (type == null) {
            return "of another type";
        }
        if (Number.class.isAssignableFrom(type) || type.isPrimitive()) {
            return "a whole number in range";
        }
        return "a valid " + type.getSimpleName();
    }

    /** The JSON path of the property Jackson could not read, e.g. {@code localizations.en-US.name}. */
    private static Optional<String> bodyField(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof JacksonException jackson && !jackson.getPath().isEmpty()) {
                return Optional.of(path(jackson.getPath()));
            }
        }
        return Optional.empty();
    }

    private static String path(List<JacksonException.Reference> references) {
        StringBuilder path = new StringBuilder();
        for (JacksonException.Reference reference : references) {
            if (reference.getPropertyName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(reference.getPropertyName());
            } else {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }
}
