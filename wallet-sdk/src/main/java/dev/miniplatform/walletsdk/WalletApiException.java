package dev.miniplatform.walletsdk;

import java.time.Duration;

/**
 * A call that did not get an answer the SDK can use: an error status of the platform (status and the problem's
 * {@code type}), or none within the call's timeout ({@code status} 0, the last failure as the cause). Retries are
 * already spent when it is thrown.
 */
public class WalletApiException extends RuntimeException {

    private final int status;
    private final String problemType;

    public WalletApiException(String message, int status, String problemType, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.problemType = problemType;
    }

    /** The HTTP status, or 0 when no answer came (timeout, connection refused). */
    public int status() {
        return status;
    }

    /** The problem's {@code type} URI ({@code urn:mini-program-platform:problem:*}), when the platform sent one. */
    public String problemType() {
        return problemType;
    }

    /**
     * Rate limited, and the platform's {@code Retry-After} (or the SDK's own back-off) ends after this call's
     * deadline: retry no sooner than {@link #retryAfter()}.
     */
    public static final class RateLimited extends WalletApiException {

        private final Duration retryAfter;

        public RateLimited(String message, Duration retryAfter) {
            super(message, 429, "urn:mini-program-platform:problem:rate-limited", null);
            this.retryAfter = retryAfter;
        }

        public Duration retryAfter() {
            return retryAfter;
        }
    }
}
