package dev.miniplatform.model.isv;

import dev.miniplatform.model.state.TransitionTable;
import dev.miniplatform.model.validation.ConflictException;

import java.util.List;
import java.util.Map;

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

    private static final TransitionTable<AuthorizationState, AuthorizationAction, AuthorizationState> TABLE =
            TransitionTable.<AuthorizationState, AuthorizationAction, AuthorizationState>of(AuthorizationState.class,
                            AuthorizationAction.class)
                    .row(PENDING_CONSENT, Map.of(CONSENT, ACTIVE, REVOKE, CANCELED, SUPERSEDE, CANCELED))
                    .row(ACTIVE, Map.of(REVOKE, REVOKED))
                    .row(REVOKED, Map.of())
                    .row(CANCELED, Map.of())
                    .build();

    private AuthorizationStateMachine() {
    }

    public static AuthorizationState next(AuthorizationState from, AuthorizationAction action) {
        return TABLE.target(from, action)
                .orElseThrow(() -> refused(from, action));
    }

    /** Actions a merchant may take (SUPERSEDE and CONSENT are the platform's own). */
    public static List<String> allowedActions(AuthorizationState from) {
        return TABLE.actions(from).stream()
                .filter(action -> action == REVOKE)
                .map(action -> action.name().toLowerCase())
                .toList();
    }

    private static ConflictException refused(AuthorizationState from, AuthorizationAction action) {
        List<String> allowed = allowedActions(from);
        return new ConflictException(TransitionTable.refusal(action.name().toLowerCase(), "an authorization", from,
                allowed), from.name(), allowed);
    }
}
