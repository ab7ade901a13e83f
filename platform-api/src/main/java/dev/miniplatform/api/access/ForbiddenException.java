package dev.miniplatform.api.access;

/**
 * The caller is a member of the tenant but their role does not allow this. (Non-members get 404, never this.)
 */
public class ForbiddenException extends RuntimeException {

    public ForbiddenException(String message) {
        super(message);
    }
}
