package dev.miniplatform.model.isv;

import dev.miniplatform.model.validation.ConflictException;

import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import static dev.miniplatform.model.isv.AuthorizationAction.CONSENT;
import static dev.miniplatform.model.isv.AuthorizationAction.REVOKE;
import static dev.miniplatform.model.isv.AuthorizationAction.SUPERSEDE;
import static dev.miniplatform.model.isv.AuthorizationState.ACTIVE;
import static dev.miniplatform.model.isv.AuthorizationState.CANCELED;
import static dev.miniplatform.model.isv.AuthorizationState.PENDING_CONSENT;
import static dev.miniplatform.model.isv.AuthorizationState.REVOKED;

/**
 * The lifecycle of a merchant's authorization of an ISV service, as one explicit table:
 *
 * <pre>
 * from             action     to
 * ---------------  ---------  ---------
 * PENDING_CONSENT  CONSENT    ACTIVE     (never without the merchant user's consent in Keycloak)
 *                  REVOKE     CANCELED   (the merchant withdraws the request)
 *                  SUPERSEDE  CANCELED
 * ACTIVE           REVOKE     REVOKED
 * REVOKED          -          terminal: re-authorization is a new record
 * CANCELED         -          terminal
 * </pre>
 */
public final class AuthorizationStateMachine {

    private static final Map<AuthorizationState, Map<AuthorizationAction, AuthorizationState>> TABLE =
            new EnumMap<>(AuthorizationState.class);

    static {
        row(PENDING_CONSENT, Map.of(CONSENT, ACTIVE, REVOKE, CANCELED, SUPERSEDE, CANCELED));
        row(ACTIVE, Map.of(REVOKE, REVOKED));
        row(REVOKED, Map.of());
        row(CANCELED, Map.of());
    }

    private AuthorizationStateMachine() {
    }

    public static AuthorizationState next(AuthorizationState from, AuthorizationAction action) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(action, "action");
        AuthorizationState to = TABLE.get(from).get(action);
        if (to == null) {
            List<String> allowed = allowedActions(from);
            throw new ConflictException("cannot " + action.name().toLowerCase() + " an authorization in state "
                    + from.name() + "; " + (allowed.isEmpty() ? "no action is allowed from it" : "allowed: "
                    + String.join(", ", allowed)), from.name(), allowed);
        }
        return to;
    }

    /** Actions a merchant may take (SUPERSEDE and CONSENT are the platform's own). */
    public static List<String> allowedActions(AuthorizationState from) {
        return TABLE.get(from).keySet().stream()
                .filter(action -> action == REVOKE)
                .map(action -> action.name().toLowerCase())
                .toList();
    }

    private static void row(AuthorizationState from, Map<AuthorizationAction, AuthorizationState> moves) {
        Map<AuthorizationAction, AuthorizationState> row = new EnumMap<>(AuthorizationAction.class);
        row.putAll(moves);
        TABLE.put(from, Collections.unmodifiableMap(row));
    }
}
