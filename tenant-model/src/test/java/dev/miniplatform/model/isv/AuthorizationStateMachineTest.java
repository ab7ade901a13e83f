package dev.miniplatform.model.isv;

import dev.miniplatform.model.validation.ConflictException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every (state, action) pair of the authorization table. */
class AuthorizationStateMachineTest {

    private static final Map<AuthorizationState, Map<AuthorizationAction, AuthorizationState>> EXPECTED = Map.of(
            AuthorizationState.PENDING_CONSENT, Map.of(
                    AuthorizationAction.CONSENT, AuthorizationState.ACTIVE,
                    AuthorizationAction.REVOKE, AuthorizationState.CANCELED,
                    AuthorizationAction.SUPERSEDE, AuthorizationState.CANCELED),
            AuthorizationState.ACTIVE, Map.of(AuthorizationAction.REVOKE, AuthorizationState.REVOKED),
            AuthorizationState.REVOKED, Map.of(),
            AuthorizationState.CANCELED, Map.of());

    static Stream<Arguments> everyPair() {
        List<Arguments> pairs = new ArrayList<>();
        for (AuthorizationState state : AuthorizationState.values()) {
            for (AuthorizationAction action : AuthorizationAction.values()) {
                pairs.add(Arguments.of(state, action));
            }
        }
        return pairs.stream();
    }

    @ParameterizedTest(name = "{0} --{1}-->")
    @MethodSource("everyPair")
    void followsTheTable(AuthorizationState from, AuthorizationAction action) {
        AuthorizationState expected = EXPECTED.get(from).get(action);
        if (expected == null) {
            assertThatThrownBy(() -> AuthorizationStateMachine.next(from, action))
                    .isInstanceOf(ConflictException.class)
                    .hasMessageContaining(from.name());
        } else {
            assertThat(AuthorizationStateMachine.next(from, action)).isEqualTo(expected);
        }
    }

    @Test
    void merchantsAreOfferedOnlyRevokeAndOnlyWhileItMeansSomething() {
        assertThat(AuthorizationStateMachine.allowedActions(AuthorizationState.PENDING_CONSENT)).containsExactly("revoke");
        assertThat(AuthorizationStateMachine.allowedActions(AuthorizationState.ACTIVE)).containsExactly("revoke");
        assertThat(AuthorizationStateMachine.allowedActions(AuthorizationState.REVOKED)).isEmpty();
        assertThat(AuthorizationStateMachine.allowedActions(AuthorizationState.CANCELED)).isEmpty();
    }
}
