package dev.miniplatform.model.isv;

import dev.miniplatform.model.validation.ConflictException;

import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

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

    private static final Map<ServiceState, Map<ServiceAction, ServiceState>> TABLE = new EnumMap<>(ServiceState.class);

    static {
        row(PENDING_APPROVAL, Map.of(APPROVE, APPROVED, REJECT, REJECTED));
        row(REJECTED, Map.of(RESUBMIT, PENDING_APPROVAL));
        row(APPROVED, Map.of());
    }

    private ServiceStateMachine() {
    }

    public static ServiceState next(ServiceState from, ServiceAction action) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(action, "action");
        ServiceState to = TABLE.get(from).get(action);
        if (to == null) {
            List<String> allowed = allowedActions(from);
            throw new ConflictException("cannot " + action.name().toLowerCase() + " a service in state " + from.name()
                    + "; " + (allowed.isEmpty() ? "no action is allowed from it" : "allowed: " + String.join(", ", allowed)),
                    from.name(), allowed);
        }
        return to;
    }

    public static List<String> allowedActions(ServiceState from) {
        return TABLE.get(from).keySet().stream()
                .sorted()
                .map(action -> action.name().toLowerCase())
                .toList();
    }

    private static void row(ServiceState from, Map<ServiceAction, ServiceState> moves) {
        Map<ServiceAction, ServiceState> row = new EnumMap<>(ServiceAction.class);
        row.putAll(moves);
        TABLE.put(from, Collections.unmodifiableMap(row));
    }
}
