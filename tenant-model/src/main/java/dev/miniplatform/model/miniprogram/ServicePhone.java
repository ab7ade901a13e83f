package dev.miniplatform.model.miniprogram;

import dev.miniplatform.model.validation.InvalidInputException;
import java.util.regex.Pattern;

/**
 * The customer-service line in the mainland landline shape Alipay+ asks for: a 4-digit area code, a hyphen and a
 * 7-digit number, e.g. {@code 0571-8888888}. Only ASCII digits count: full-width digits look the same on screen
 * but would not dial, and a value that merely looks right is the worst kind to let through.
 */
public record ServicePhone(String value) {

    public static final String FIELD = "servicePhone";

    /** Spelled with [0-9] rather than \d so the ASCII-only intent does not depend on regex flags. */
    private static final Pattern SHAPE = Pattern.compile("[0-9]{4}-[0-9]{7}");

    public ServicePhone {
        value = check(FIELD, value);
    }

    public static ServicePhone of(String field, String raw) {
        return new ServicePhone(check(field, raw));
    }

    private static String check(String field, String raw) {
        String value = raw == null ? "" : raw.strip();
        if (value.isEmpty()) {
            throw InvalidInputException.of(field, "required", "is required");
        }
        if (!SHAPE.matcher(value).matches()) {
            throw InvalidInputException.of(field, "format",
                    "must be a 4-digit area code, a hyphen and 7 digits, e.g. 0571-8888888");
        }
        return value;
    }
}
