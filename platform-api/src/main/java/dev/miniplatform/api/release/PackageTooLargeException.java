package dev.miniplatform.api.release;

/**
 * A code package over {@code platform.release.max-package-bytes}: answered with 413.
 */
public class PackageTooLargeException extends RuntimeException {

    PackageTooLargeException(long limit) {
        super("The code package exceeds the limit of %d bytes.".formatted(limit));
    }
}
