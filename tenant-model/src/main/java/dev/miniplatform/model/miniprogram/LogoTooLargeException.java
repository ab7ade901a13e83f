package dev.miniplatform.model.miniprogram;

/**
 * The uploaded logo exceeds {@link Logo#MAX_BYTES}. A type of its own so the web layer can answer 413 Content Too
 * Large, which tells a client to shrink the file rather than to fix a field.
 */
public class LogoTooLargeException extends RuntimeException {

    private final long size;

    public LogoTooLargeException(long size) {
        super("logo is %d bytes, but at most %d bytes (256 KB) are allowed".formatted(size, Logo.MAX_BYTES));
        this.size = size;
    }

    public long size() {
        return size;
    }
}
