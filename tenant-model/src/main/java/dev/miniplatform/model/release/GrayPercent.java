package dev.miniplatform.model.release;

import dev.miniplatform.model.validation.InvalidInputException;
import dev.miniplatform.model.validation.ConflictException;

import java.util.List;

/**
 * The share of wallet users, in percent, who get a grayscale release: 1 to 100, where 100 is the full release.
 * 0 is not a gray release at all (use pilot testing for a whitelist, or cancel).
 * <p>
 * A gray release may only grow. Shrinking it would take the new version away from users who already have it
 * (see {@link GrayBucket}: a lower percentage is a strict subset), which is a rollback in disguise; that is what
 * cancel is for.
 */
public record GrayPercent(int value) {

    public static final String FIELD = "grayPercent";
    public static final int MIN = 1;
    public static final int MAX = 100;

    public GrayPercent {
        check(FIELD, value);
    }

    public static GrayPercent of(String field, Integer raw) {
        if (raw == null) {
            throw InvalidInputException.of(field, "required", "is required");
        }
        check(field, raw);
        return new GrayPercent(raw);
    }

    /** 100 % reaches everyone, so it is a full release rather than a gray one. */
    public boolean isFull() {
        return value == MAX;
    }

    /**
     * @param current the percentage the release is at now, or {@code null} if it is not in gray yet
     * @throws ConflictException unless this percentage is strictly above {@code current}
     */
    public void requireGrowthFrom(Integer current) {
        if (current != null && value <= current) {
            throw new ConflictException(
                    "gray percentage may only grow: it is " + current + " %, asked for " + value + " %",
                    ReleaseState.GRAYSCALE.name(), List.of(ReleaseAction.GRAY.apiName()));
        }
    }

    private static void check(String field, int value) {
        if (value < MIN || value > MAX) {
            throw InvalidInputException.of(field, "range", "must be between " + MIN + " and " + MAX);
        }
    }
}
