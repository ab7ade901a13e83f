package dev.miniplatform.model.tenancy;

import dev.miniplatform.model.text.SafeText;
import dev.miniplatform.model.validation.InvalidInputException;


/**
 * A workspace's display name: 2 to 100 characters after trimming and NFC normalization, and safe text (see
 * {@link SafeText}: no control, format or broken characters, at least one visible character).
 */
public record TenantName(String value) {

    public static final int MIN_LENGTH = 2;
    public static final int MAX_LENGTH = 100;

    public TenantName {
        value = value == null ? "" : value.strip();
        if (value.isEmpty()) {
            throw invalid("length", "must be between %d and %d characters".formatted(MIN_LENGTH, MAX_LENGTH));
        }
        value = SafeText.check("name", value, codePoint -> false);
        int length = value.codePointCount(0, value.length());
        if (length < MIN_LENGTH || length > MAX_LENGTH) {
            throw invalid("length", "must be between %d and %d characters".formatted(MIN_LENGTH, MAX_LENGTH));
        }
    }

    private static InvalidInputException invalid(String code, String message) {
        return InvalidInputException.of("name", code, message);
    }
}
