package dev.miniplatform.model.release;

import dev.miniplatform.model.validation.InvalidInputException;
import java.util.Comparator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A mini program version as Alipay+ accepts it: exactly {@code major.minor.patch}, e.g. {@code 1.10.0}. No
 * pre-release or build suffixes, and no leading zeros, so that every version has exactly one spelling: otherwise
 * {@code 1.01.0} and {@code 1.1.0} would be two rows for the same version. Each part is capped at
 * {@value #MAX_PART} to keep the text short and the numbers far from overflow.
 * <p>
 * Versions order numerically, part by part, so {@code 1.10.0} comes after {@code 1.9.0}, which a string
 * comparison would get wrong.
 */
public record SemanticVersion(int major, int minor, int patch) implements Comparable<SemanticVersion> {

    public static final String FIELD = "version";
    public static final int MAX_PART = 999_999;

    /** One part: a lone 0, or 1 to 6 ASCII digits not starting with 0, which also enforces {@link #MAX_PART}. */
    private static final String PART = "(0|[1-9][0-9]{0,5})";
    private static final Pattern SHAPE = Pattern.compile(PART + "\\." + PART + "\\." + PART);

    private static final Comparator<SemanticVersion> ORDER = Comparator.comparingInt(SemanticVersion::major)
            .thenComparingInt(SemanticVersion::minor)
            .thenComparingInt(SemanticVersion::patch);

    public SemanticVersion {
        if (outOfRange(major) || outOfRange(minor) || outOfRange(patch)) {
            throw InvalidInputException.of(FIELD, "format", formatMessage());
        }
    }

    public static SemanticVersion parse(String field, String raw) {
        String value = raw == null ? "" : raw.strip();
        if (value.isEmpty()) {
            throw InvalidInputException.of(field, "required", "is required");
        }
        Matcher matcher = SHAPE.matcher(value);
        if (!matcher.matches()) {
            throw InvalidInputException.of(field, "format", formatMessage());
        }
        return new SemanticVersion(Integer.parseInt(matcher.group(1)), Integer.parseInt(matcher.group(2)),
                Integer.parseInt(matcher.group(3)));
    }

    @Override
    public int compareTo(SemanticVersion other) {
        return ORDER.compare(this, other);
    }

    @Override
    public String toString() {
        return major + "." + minor + "." + patch;
    }

    private static boolean outOfRange(int part) {
        return part < 0 || part > MAX_PART;
    }

    private static String formatMessage() {
        return "must be major.minor.patch, each 0 to " + MAX_PART + " without leading zeros, e.g. 1.2.0";
    }
}
