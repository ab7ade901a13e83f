package dev.miniplatform.model.release;

import dev.miniplatform.model.validation.FieldError;
import dev.miniplatform.model.validation.InvalidInputException;

import java.util.List;

/**
 * Value objects here fail one field at a time; this keeps the throw sites to a single readable line.
 */
final class FieldRejection {

    private FieldRejection() {
    }

    static InvalidInputException invalid(String field, String code, String message) {
        return new InvalidInputException(List.of(new FieldError(field, code, message)));
    }
}
