package dev.miniplatform.model.isv;

import dev.miniplatform.model.state.TransitionTable;
import dev.miniplatform.model.validation.ConflictException;

import java.util.List;
import java.util.Map;

import static dev.miniplatform.model.isv.ServiceAction.APPROVE;
import static dev.miniplatform.model.isv.ServiceAction.REJECT;
import static dev.miniplatform.model.isv.ServiceAction.RESUBMIT;
import static dev.miniplatform.model.isv.ServiceState.APPROVED;
import static dev.miniplatform.model.isv.ServiceState.PENDING_APPROVAL;
import static dev.miniplatform.model.isv.ServiceState.REJECTED;

/**
 * The approval lifecycle of an ISV service, as one explicit table:
 *
 * <pre>
 * from              action    to
 * ----------------  --------  ----------------
 * PENDING_APPROVAL  APPROVE   APPROVED
 *                   REJECT    REJECTED
 * REJECTED          RESUBMIT  PENDING_APPROVAL
 * APPROVED          -         (listed; merchants hold authorizations against it, so it does not move back)
 * </pre>
 *
 * Every pair not listed is illegal and fails with a 409 naming the current state and the allowed actions.
 */
public final class ServiceStateMachine {

    private static final TransitionTable<ServiceState, ServiceAction, ServiceState> TABLE =
            TransitionTable.<ServiceState, ServiceAction, ServiceState>of(ServiceState.class, ServiceAction.class)
                    .row(PENDING_APPROVAL, Map.of(APPROVE, APPROVED, REJECT, REJECTED))
                    .row(REJECTED, Map.of(RESUBMIT, PENDING_APPROVAL))
                    .row(APPROVED, Map.of())
                    .build();

    private ServiceStateMachine() {
    }

    public static ServiceState next(ServiceState from, ServiceAction action) {
        return TABLE.target(from, action)
                .orElseThrow(() -> refused(from, action));
    }

    public static List<String> allowedActions(ServiceState from) {
        return TABLE.actions(from).stream()
                .map(action -> action.name().toLowerCase())
                .toList();
    }

    private static ConflictException refused(ServiceState from, ServiceAction action) {
        List<String> allowed = allowedActions(from);
        return new ConflictException(TransitionTable.refusal(action.name().toLowerCase(), "a service", from, allowed),
                from.name(), allowed);
    }
}
