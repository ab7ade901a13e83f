package dev.miniplatform.model.release;

import dev.miniplatform.model.text.SafeText;
import dev.miniplatform.model.validation.InvalidInputException;

/**
 * Why a reviewer rejected a version: what the merchant must change. 1 to 2000 characters after trimming, safe
 * text (see {@link SafeText}) in which line feeds are allowed, as the reason may list several points.
 */
public record ReviewReason(String value) {

    public static final String FIELD = "reason";
    public static final int MAX_LENGTH = 2000;

    public ReviewReason {
        value = value == null ? "" : value.strip();
        if (value.isEmpty()) {
            throw InvalidInputException.of(FIELD, "required", "say what must change, in at most 2000 characters");
        }
        value = SafeText.check(FIELD, value, codePoint -> codePoint == '\n');
        if (value.codePointCount(0, value.length()) > MAX_LENGTH) {
            throw InvalidInputException.of(FIELD, "length", "say what must change, in at most 2000 characters");
        }
    }
}
