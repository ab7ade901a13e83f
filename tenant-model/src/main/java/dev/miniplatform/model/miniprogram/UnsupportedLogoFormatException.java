package dev.miniplatform.model.miniprogram;

/**
 * The uploaded bytes are not a PNG or JPEG image we can read the size of. A type of its own so the web layer can
 * answer 415 Unsupported Media Type: the fix is a different file, not a different field value.
 */
public class UnsupportedLogoFormatException extends RuntimeException {

    public UnsupportedLogoFormatException(String reason) {
        super("logo must be a PNG or JPEG image: " + reason);
    }
}
