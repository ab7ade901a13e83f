package dev.miniplatform.auth.keycloak;

import java.time.Duration;

/**
 * Keycloak could not do what the platform asked (unreachable, too slow, refused, or the circuit breaker is open).
 * Keeps the admin client's JAX-RS exception types inside this package. {@link #retryAfter()} is how long a client
 * should wait before trying again (the breaker's open period).
 */
public class IdentityServiceException extends RuntimeException {

    private final Duration retryAfter;

    IdentityServiceException(String message, Throwable cause, Duration retryAfter) {
        super(message, cause);
        this.retryAfter = retryAfter;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
