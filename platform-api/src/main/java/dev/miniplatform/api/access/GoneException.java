package dev.miniplatform.api.access;

/**
 * The thing existed but can no longer be used: an expired or withdrawn invitation.
 */
public class GoneException extends RuntimeException {

    public GoneException(String message) {
        super(message);
    }
}
