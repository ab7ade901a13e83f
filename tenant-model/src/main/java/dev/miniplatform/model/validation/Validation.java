package dev.miniplatform.model.validation;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Collects field errors from several checks and fails once with all of them.
 */
public final class Validation {

    private final List<FieldError> errors = new ArrayList<>();

    public Validation reject(String field, String code, String message) {
        errors.add(new FieldError(field, code, message));
        return this;
    }

    /**
     * Runs a value-object constructor, recording its errors under the given prefix instead of stopping.
     */
    public <T> T attempt(Supplier<T> factory) {
        try {
            return factory.get();
        } catch (InvalidInputException e) {
            errors.addAll(e.errors());
            return null;
        }
    }

    public boolean hasErrors() {
        return !errors.isEmpty();
    }

    public void throwIfInvalid() {
        if (hasErrors()) {
            throw new InvalidInputException(errors);
        }
    }
}
