package dev.miniplatform.model.tenancy;

import dev.miniplatform.model.validation.InvalidInputException;


/**
 * A workspace's display name: 2 to 100 characters after trimming, no control characters.
 */
public record TenantName(String value) {

    public static final int MIN_LENGTH = 2;
    public static final int MAX_LENGTH = 100;

    public TenantName {
        value = value == null ? "" : value.strip();
        int length = value.codePointCount(0, value.length());
        if (length < MIN_LENGTH || length > MAX_LENGTH) {
            throw invalid("length", "must be between %d and %d characters".formatted(MIN_LENGTH, MAX_LENGTH));
        }
        if (value.codePoints().anyMatch(Character::isISOControl)) {
            throw invalid("characters", "must not contain control characters");
        }
    }

    private static InvalidInputException invalid(String code, String message) {
        return InvalidInputException.of("name", code, message);
    }
}
