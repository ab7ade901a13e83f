package dev.miniplatform.model.validation;

import java.util.List;

/**
 * The request is valid but clashes with the current state: a stale revision, or a transition the state machine
 * does not allow from where it is. {@code currentState} and {@code allowedActions} may be empty.
 */
public class ConflictException extends RuntimeException {

    private final String currentState;
    private final List<String> allowedActions;

    public ConflictException(String message) {
        this(message, null, List.of());
    }

    public ConflictException(String message, String currentState, List<String> allowedActions) {
        super(message);
        this.currentState = currentState;
        this.allowedActions = List.copyOf(allowedActions);
    }

    public String currentState() {
        return currentState;
    }

    public List<String> allowedActions() {
        return allowedActions;
    }
}
