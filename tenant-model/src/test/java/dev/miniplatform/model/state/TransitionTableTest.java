package dev.miniplatform.model.state;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TransitionTableTest {

    enum Door { OPEN, CLOSED, LOCKED }

    enum Act { CLOSE, OPEN, LOCK, UNLOCK }

    private final TransitionTable<Door, Act, Door> doors = TransitionTable.<Door, Act, Door>of(Door.class, Act.class)
            .row(Door.OPEN, Map.of(Act.CLOSE, Door.CLOSED))
            .row(Door.CLOSED, Map.of(Act.LOCK, Door.LOCKED, Act.OPEN, Door.OPEN))
            .row(Door.LOCKED, Map.of())
            .build();

    @Test
    void aListedMoveLeadsWhereTheTableSays() {
        assertThat(doors.target(Door.CLOSED, Act.LOCK)).contains(Door.LOCKED);
    }

    @Test
    void anUnlistedMoveHasNoTarget() {
        assertThat(doors.target(Door.OPEN, Act.LOCK)).isEmpty();
        assertThat(doors.target(Door.LOCKED, Act.UNLOCK)).isEmpty();
    }

    @Test
    void actionsComeInDeclarationOrderWhateverTheRowsOrder() {
        assertThat(doors.actions(Door.CLOSED)).containsExactly(Act.OPEN, Act.LOCK);
        assertThat(doors.actions(Door.LOCKED)).isEmpty();
    }

    @Test
    void aStateWithoutItsRowIsRefusedWhenTheTableIsBuilt() {
        assertThatThrownBy(() -> TransitionTable.<Door, Act, Door>of(Door.class, Act.class)
                .row(Door.OPEN, Map.of(Act.CLOSE, Door.CLOSED))
                .build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("CLOSED");
    }

    @Test
    void aStateGivenTwoRowsIsRefused() {
        assertThatThrownBy(() -> TransitionTable.<Door, Act, Door>of(Door.class, Act.class)
                .row(Door.OPEN, Map.of(Act.CLOSE, Door.CLOSED))
                .row(Door.OPEN, Map.of()))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void nullsAreRefused() {
        assertThatNullPointerException().isThrownBy(() -> doors.target(null, Act.OPEN)).withMessage("from");
        assertThatNullPointerException().isThrownBy(() -> doors.target(Door.OPEN, null)).withMessage("action");
    }

    @Test
    void theRefusalNamesTheStateAndWhatIsAllowed() {
        assertThat(TransitionTable.refusal("lock", "a door", Door.OPEN, List.of("close")))
                .isEqualTo("cannot lock a door in state OPEN; allowed: close");
        assertThat(TransitionTable.refusal("open", "a door", Door.LOCKED, List.of()))
                .isEqualTo("cannot open a door in state LOCKED; no action is allowed from it");
    }
}
