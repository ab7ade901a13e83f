package dev.miniplatform.model.release;

import dev.miniplatform.model.state.TransitionTable;
import dev.miniplatform.model.validation.ConflictException;

/**
 * The action is well formed but {@link ReleaseStateMachine} does not allow it from the release's current state.
 * It is a conflict rather than invalid input: the same request may be fine later, or was fine earlier, so the
 * response names the current state and what may be done instead.
 */
public class IllegalTransitionException extends ConflictException {

    private final ReleaseState current;
    private final ReleaseAction action;

    public IllegalTransitionException(ReleaseState current, ReleaseAction action) {
        super(message(current, action), current.name(), ReleaseStateMachine.allowedActions(current));
        this.current = current;
        this.action = action;
    }

    public ReleaseState current() {
        return current;
    }

    public ReleaseAction action() {
        return action;
    }

    private static String message(ReleaseState current, ReleaseAction action) {
        return TransitionTable.refusal(action.apiName(), "a version", current,
                ReleaseStateMachine.allowedActions(current));
    }
}
