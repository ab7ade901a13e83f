package dev.miniplatform.model.miniprogram;

import dev.miniplatform.model.text.SafeText;
import dev.miniplatform.model.validation.InvalidInputException;
import java.util.function.IntPredicate;
import java.util.function.ToIntFunction;

/**
 * The shape shared by the free-text listing fields: required, safe text (see {@link SafeText}: no control, format
 * or broken characters, normalized to NFC), bounded in some measure. The fields differ only in how they measure and which control characters they tolerate, so those
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

    /** Returns the stripped text in NFC, or throws with one error on {@code field}. */
    String apply(String field, String raw) {
        String stripped = raw == null ? "" : raw.strip();
        if (stripped.isEmpty()) {
            throw InvalidInputException.of(field, "required", "is required");
        }
        // characters first: measuring text with broken or invisible characters would give a misleading length
        String value = SafeText.check(field, stripped, allowedControl);
        int length = measure.applyAsInt(value);
        if (length < min || length > max) {
            throw InvalidInputException.of(field, "length",
                    "must be %d to %d %s, but is %d".formatted(min, max, unit, length));
        }
        return value;
    }
}
