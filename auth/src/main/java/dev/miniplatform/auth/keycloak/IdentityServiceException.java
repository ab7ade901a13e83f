package dev.miniplatform.auth.keycloak;

/**
 * Keycloak could not do what the platform asked (unreachable, or it refused). Keeps the admin client's JAX-RS
 * exception types inside this package.
 */
public class IdentityServiceException extends RuntimeException {

    IdentityServiceException(String message, Throwable cause) {
        super(message, cause);
    }
}
