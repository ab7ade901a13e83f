package dev.miniplatform.model.miniprogram;

import dev.miniplatform.model.validation.InvalidInputException;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Where a mini program is released. Only Alipay China for now; it is an enum rather than a constant so that a
 * second region is a new value, not a new column, and clients already send and validate the field.
 */
public enum ReleaseRegion {

    CN("Alipay China");

    public static final String FIELD = "region";

    private final String displayName;

    ReleaseRegion(String displayName) {
        this.displayName = displayName;
    }

    public String displayName() {
        return displayName;
    }

    /** Matches the constant name exactly, as the API documents it, so "cn" is as unknown as "EU". */
    public static ReleaseRegion of(String field, String raw) {
        if (raw == null || raw.isBlank()) {
            throw InvalidInputException.of(field, "required", "is required");
        }
        return Arrays.stream(values())
                .filter(region -> region.name().equals(raw.strip()))
                .findFirst()
                .orElseThrow(() -> InvalidInputException.of(field, "enum", "must be one of " + allowed()));
    }

    private static String allowed() {
        return Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", "));
    }
}
