package dev.miniplatform.model.isv;

import dev.miniplatform.model.validation.ConflictException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every (state, action) pair of the service approval table: the listed ones move, every other one is a 409. */
class ServiceStateMachineTest {

    private static final Map<ServiceState, Map<ServiceAction, ServiceState>> EXPECTED = Map.of(
            ServiceState.PENDING_APPROVAL, Map.of(ServiceAction.APPROVE, ServiceState.APPROVED,
                    ServiceAction.REJECT, ServiceState.REJECTED),
            ServiceState.REJECTED, Map.of(ServiceAction.RESUBMIT, ServiceState.PENDING_APPROVAL),
            ServiceState.APPROVED, Map.of());

    static Stream<Arguments> everyPair() {
        List<Arguments> pairs = new ArrayList<>();
        for (ServiceState state : ServiceState.values()) {
            for (ServiceAction action : ServiceAction.values()) {
                pairs.add(Arguments.of(state, action));
            }
        }
        return pairs.stream();
    }

    @ParameterizedTest(name = "{0} --{1}-->")
    @MethodSource("everyPair")
    void followsTheTable(ServiceState from, ServiceAction action) {
        ServiceState expected = EXPECTED.get(from).get(action);
        if (expected == null) {
            assertThatThrownBy(() -> ServiceStateMachine.next(from, action))
                    .isInstanceOf(ConflictException.class)
                    .hasMessageContaining(from.name())
                    .satisfies(e -> assertThat(((ConflictException) e).currentState()).isEqualTo(from.name()));
        } else {
            assertThat(ServiceStateMachine.next(from, action)).isEqualTo(expected);
        }
    }

    @ParameterizedTest
    @MethodSource("everyPair")
    void advertisesExactlyTheLegalActions(ServiceState from, ServiceAction action) {
        assertThat(ServiceStateMachine.allowedActions(from).contains(action.name().toLowerCase()))
                .isEqualTo(EXPECTED.get(from).containsKey(action));
    }
}
