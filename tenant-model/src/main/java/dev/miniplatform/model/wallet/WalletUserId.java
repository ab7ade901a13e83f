package dev.miniplatform.model.wallet;

import dev.miniplatform.model.validation.InvalidInputException;

/**
 * A user id as a wallet knows its user (e.g. a tester account): 1 to 128 printable characters, no whitespace, no
 * control or format characters. It is compared exactly as sent, so it is stored exactly as sent.
 */
public record WalletUserId(String value) {

    public static final int MAX_LENGTH = 128;

    public WalletUserId {
        String problem = problem(value);
        if (problem != null) {
            throw InvalidInputException.of("userId", "format", problem);
        }
    }

    /** Like the constructor, reporting under {@code field}. */
    public static WalletUserId of(String field, String value) {
        String problem = problem(value);
        if (problem != null) {
            throw InvalidInputException.of(field, "format", problem);
        }
        return new WalletUserId(value);
    }

    /** Whether {@code value} would be accepted, for reads that answer "not found" rather than explain. */
    public static boolean isValid(String value) {
        return problem(value) == null;
    }

    private static String problem(String value) {
        if (value == null || value.isEmpty()) {
            return "give the wallet user id (1 to %d printable characters)".formatted(MAX_LENGTH);
        }
        if (value.length() > MAX_LENGTH) {
            return "at most %d characters".formatted(MAX_LENGTH);
        }
        for (int i = 0; i < value.length(); ) {
            int codePoint = value.codePointAt(i);
            if (!printable(codePoint)) {
                return "only printable characters, no spaces (U+%04X at position %d)".formatted(codePoint, i);
            }
            i += Character.charCount(codePoint);
        }
        return null;
    }

    private static boolean printable(int codePoint) {
        if (Character.isWhitespace(codePoint) || Character.isSpaceChar(codePoint)) {
            return false;
        }
        int type = Character.getType(codePoint);
        return type != Character.CONTROL && type != Character.FORMAT && type != Character.SURROGATE
                && type != Character.PRIVATE_USE && type != Character.UNASSIGNED;
    }

    @Override
    public String toString() {
        return value;
    }
}
