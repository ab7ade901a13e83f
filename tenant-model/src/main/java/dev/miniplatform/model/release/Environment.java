package dev.miniplatform.model.release;

import dev.miniplatform.model.validation.InvalidInputException;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Where a release goes. Whether it passes through wallet review depends on the environment: production always
 * does, development and test never do (they exist so developers can iterate without waiting days), and the
 * sandbox is the wallet's call, because some wallets review sandbox builds to catch problems before production.
 */
public enum Environment {

    DEV, TEST, SANDBOX, PROD;

    public static final String FIELD = "environment";

    /**
     * @param walletReviewsSandbox the wallet's own setting; consulted only for {@link #SANDBOX}
     */
    public boolean requiresReview(boolean walletReviewsSandbox) {
        return switch (this) {
            case PROD -> true;
            case DEV, TEST -> false;
            case SANDBOX -> walletReviewsSandbox;
        };
    }

    /** Matches the constant name exactly, as the API documents it, so "prod" is as unknown as "STAGING". */
    public static Environment of(String field, String raw) {
        if (raw == null || raw.isBlank()) {
            throw InvalidInputException.of(field, "required", "is required");
        }
        String value = raw.strip();
        return Arrays.stream(values())
                .filter(environment -> environment.name().equals(value))
                .findFirst()
                .orElseThrow(() -> InvalidInputException.of(field, "enum", "must be one of " + allowed()));
    }

    private static String allowed() {
        return Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", "));
    }
}
