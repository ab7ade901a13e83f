package dev.miniplatform.model.release;

import dev.miniplatform.model.validation.InvalidInputException;

/**
 * The name of one entry in a code package, as the zip states it. Wallets unpack packages onto a file system, so
 * a name must stay inside the directory it is unpacked into on every operating system: relative, with forward
 * slashes only, no {@code .} or {@code ..} segment, no empty segment, no drive letter or other colon, and no
 * control character (NUL included, which truncates names in C APIs). A trailing slash marks a directory.
 */
public record EntryName(String value) {

    public static final String MANIFEST = "app.json";

    public EntryName {
        check(value, Integer.MAX_VALUE);
    }

    public static EntryName of(String value, int maxLength) {
        check(value, maxLength);
        return new EntryName(value);
    }

    /** The manifest counts only at the root: {@code pages/app.json} is an ordinary file. */
    public boolean isManifest() {
        return MANIFEST.equals(value);
    }

    private static void check(String value, int maxLength) {
        if (value == null || value.isEmpty()) {
            throw refused("an entry has an empty name");
        }
        if (value.length() > maxLength) {
            throw refused("an entry name is longer than %d characters".formatted(maxLength));
        }
        String shown = printable(value);
        if (value.chars().anyMatch(EntryName::isControl)) {
            throw refused("entry name '%s' contains a control character".formatted(shown));
        }
        if (value.indexOf('\\') >= 0) {
            throw refused("entry name '%s' contains a backslash; use '/' between directories".formatted(shown));
        }
        if (value.startsWith("/")) {
            throw refused("entry name '%s' is an absolute path".formatted(shown));
        }
        if (value.length() >= 2 && Character.isLetter(value.charAt(0)) && value.charAt(1) == ':') {
            throw refused("entry name '%s' starts with a drive letter".formatted(shown));
        }
        if (value.indexOf(':') >= 0) {
            throw refused("entry name '%s' contains a colon".formatted(shown));
        }
        checkSegments(value, shown);
    }

    private static void checkSegments(String value, String shown) {
        String path = value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
        for (String segment : path.split("/", -1)) {
            if (segment.equals("..")) {
                throw refused("entry name '%s' climbs out of the package with '..'".formatted(shown));
            }
            if (segment.isEmpty() || segment.equals(".")) {
                throw refused("entry name '%s' has an empty or '.' segment".formatted(shown));
            }
        }
    }

    private static boolean isControl(int c) {
        return c < 0x20 || c == 0x7F;
    }

    /** Control characters shown as \\uXXXX, so the problem detail itself stays one clean line. */
    private static String printable(String value) {
        StringBuilder shown = new StringBuilder();
        value.codePoints().limit(200).forEach(c -> {
            if (isControl(c)) {
                shown.append("\\u%04x".formatted(c));
            } else {
                shown.appendCodePoint(c);
            }
        });
        return shown.toString();
    }

    private static InvalidInputException refused(String message) {
        return InvalidInputException.of(CodePackageInspector.FIELD, "entry-name", message);
    }
}
