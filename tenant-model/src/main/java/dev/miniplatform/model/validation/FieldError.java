package dev.miniplatform.model.validation;

/**
 * One failing input field: the JSON path of the field, a machine-readable code and a message for people.
 */
public record FieldError(String field, String code, String message) {
}
