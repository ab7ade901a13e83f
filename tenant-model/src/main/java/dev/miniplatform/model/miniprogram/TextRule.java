package dev.miniplatform.model.miniprogram;

import dev.miniplatform.model.validation.InvalidInputException;
import java.util.function.IntPredicate;
import java.util.function.ToIntFunction;

/**
 * The shape shared by the free-text listing fields: required, bounded in some measure, free of control
 * characters. The fields differ only in how they measure and which control characters they tolerate, so those
 * are the parameters, and the codes and their order stay the same for every field.
 */
final class TextRule {

    private final int min;
    private final int max;
    private final ToIntFunction<String> measure;
    private final String unit;
    private final IntPredicate allowedControl;

    /**
     * @param unit how the measure reads in a message, e.g. "characters"; completes "must be 3 to 30 ..."
     */
    TextRule(int min, int max, ToIntFunction<String> measure, String unit, IntPredicate allowedControl) {
        this.min = min;
        this.max = max;
        this.measure = measure;
        this.unit = unit;
        this.allowedControl = allowedControl;
    }

    /** Returns the stripped text, or throws with one error on {@code field}. */
    String apply(String field, String raw) {
        String value = raw == null ? "" : raw.strip();
        if (value.isEmpty()) {
            throw InvalidInputException.of(field, "required", "is required");
        }
        int length = measure.applyAsInt(value);
        if (length < min || length > max) {
            throw InvalidInputException.of(field, "length",
                    "must be %d to %d %s, but is %d".formatted(min, max, unit, length));
        }
        if (value.codePoints().anyMatch(this::isForbiddenControl)) {
            throw InvalidInputException.of(field, "characters", "must not contain control characters");
        }
        return value;
    }

    private boolean isForbiddenControl(int codePoint) {
        return Character.isISOControl(codePoint) && !allowedControl.test(codePoint);
    }
}
