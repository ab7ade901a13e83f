package dev.miniplatform.model.release;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static dev.miniplatform.model.release.ReleaseAction.APPROVE;
import static dev.miniplatform.model.release.ReleaseAction.ARCHIVE;
import static dev.miniplatform.model.release.ReleaseAction.CANCEL;
import static dev.miniplatform.model.release.ReleaseAction.FULL;
import static dev.miniplatform.model.release.ReleaseAction.GRAY;
import static dev.miniplatform.model.release.ReleaseAction.PILOT;
import static dev.miniplatform.model.release.ReleaseAction.REJECT;
import static dev.miniplatform.model.release.ReleaseAction.RESTORE;
import static dev.miniplatform.model.release.ReleaseAction.ROLLBACK;
import static dev.miniplatform.model.release.ReleaseAction.SUBMIT;
import static dev.miniplatform.model.release.ReleaseState.ARCHIVED;
import static dev.miniplatform.model.release.ReleaseState.CANCELED;
import static dev.miniplatform.model.release.ReleaseState.CREATED;
import static dev.miniplatform.model.release.ReleaseState.FULL_RELEASE;
import static dev.miniplatform.model.release.ReleaseState.GRAYSCALE;
import static dev.miniplatform.model.release.ReleaseState.PILOT_TESTING;
import static dev.miniplatform.model.release.ReleaseState.REJECTED;
import static dev.miniplatform.model.release.ReleaseState.RELEASE_PREPARATION;
import static dev.miniplatform.model.release.ReleaseState.UNDER_REVIEW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReleaseStateMachineTest {

    /**
     * The specification, written out independently of the production table: the target of every legal pair, or
     * empty when the pair is illegal.
     */
    private static Optional<ReleaseState> expected(ReleaseState from, ReleaseAction action, boolean reviewRequired) {
        ReleaseState submitted = reviewRequired ? UNDER_REVIEW : RELEASE_PREPARATION;
        ReleaseState to = switch (from) {
            case CREATED, REJECTED -> action == SUBMIT ? submitted : null;
            case UNDER_REVIEW -> switch (action) {
                case APPROVE -> RELEASE_PREPARATION;
                case REJECT -> REJECTED;
                default -> null;
            };
            case RELEASE_PREPARATION, PILOT_TESTING -> switch (action) {
                case PILOT -> PILOT_TESTING;
                case GRAY -> GRAYSCALE;
                case FULL -> FULL_RELEASE;
                case CANCEL -> CANCELED;
                default -> null;
            };
            case GRAYSCALE -> switch (action) {
                case GRAY -> GRAYSCALE;
                case FULL -> FULL_RELEASE;
                case CANCEL -> CANCELED;
                default -> null;
            };
            case FULL_RELEASE -> switch (action) {
                case ROLLBACK, ARCHIVE -> ARCHIVED;
                case OFFLINE -> ReleaseState.OFFLINE;
                default -> null;
            };
            case ARCHIVED -> action == RESTORE ? FULL_RELEASE : null;
            case CANCELED, OFFLINE -> null;
        };
        return Optional.ofNullable(to);
    }

    static Stream<Arguments> everyStateActionAndReviewSetting() {
        return Arrays.stream(ReleaseState.values())
                .flatMap(state -> Arrays.stream(ReleaseAction.values())
                        .flatMap(action -> Stream.of(true, false)
                                .map(review -> Arguments.of(state, action, review))));
    }

    @Test
    void theCombinationsCoverTheWholeTable() {
        assertThat(everyStateActionAndReviewSetting())
                .hasSize(ReleaseState.values().length * ReleaseAction.values().length * 2);
    }

    @ParameterizedTest(name = "{0} --{1}--> (review {2})")
    @MethodSource("everyStateActionAndReviewSetting")
    void followsTheTableForEveryPair(ReleaseState from, ReleaseAction action, boolean reviewRequired) {
        Optional<ReleaseState> expected = expected(from, action, reviewRequired);
        if (expected.isPresent()) {
            assertThat(ReleaseStateMachine.next(from, action, reviewRequired)).isEqualTo(expected.get());
        } else {
            assertThatThrownBy(() -> ReleaseStateMachine.next(from, action, reviewRequired))
                    .isInstanceOfSatisfying(IllegalTransitionException.class, e -> {
                        assertThat(e.current()).isEqualTo(from);
                        assertThat(e.action()).isEqualTo(action);
                        assertThat(e.currentState()).isEqualTo(from.name());
                        assertThat(e.allowedActions()).isEqualTo(ReleaseStateMachine.allowedActions(from));
                        assertThat(e.getMessage()).contains(from.name()).contains(action.apiName());
                    });
        }
    }

    @ParameterizedTest
    @EnumSource(ReleaseState.class)
    void allowedActionsAreExactlyTheLegalUserActionsInEnumOrder(ReleaseState from) {
        List<String> legal = Arrays.stream(ReleaseAction.values())
                .filter(action -> !action.isInternal())
                .filter(action -> expected(from, action, true).isPresent())
                .map(ReleaseAction::apiName)
                .distinct()
                .toList();
        assertThat(ReleaseStateMachine.allowedActions(from)).isEqualTo(legal);
    }

    @Test
    void submitGoesToReviewOnlyWhenTheTargetReviews() {
        assertThat(ReleaseStateMachine.next(CREATED, SUBMIT, true)).isEqualTo(UNDER_REVIEW);
        assertThat(ReleaseStateMachine.next(CREATED, SUBMIT, false)).isEqualTo(RELEASE_PREPARATION);
        assertThat(ReleaseStateMachine.next(REJECTED, SUBMIT, true)).isEqualTo(UNDER_REVIEW);
        assertThat(ReleaseStateMachine.next(REJECTED, SUBMIT, false)).isEqualTo(RELEASE_PREPARATION);
    }

    @Test
    void reviewSettingMattersOnlyForSubmit() {
        assertThat(ReleaseStateMachine.next(UNDER_REVIEW, APPROVE, false)).isEqualTo(RELEASE_PREPARATION);
        assertThat(ReleaseStateMachine.next(UNDER_REVIEW, REJECT, false)).isEqualTo(REJECTED);
    }

    @Test
    void canceledAndOfflineAreTerminal() {
        assertThat(ReleaseStateMachine.allowedActions(CANCELED)).isEmpty();
        assertThat(ReleaseStateMachine.allowedActions(ReleaseState.OFFLINE)).isEmpty();
        for (ReleaseAction action : ReleaseAction.values()) {
            assertThatThrownBy(() -> ReleaseStateMachine.next(CANCELED, action, true))
                    .isInstanceOf(IllegalTransitionException.class);
            assertThatThrownBy(() -> ReleaseStateMachine.next(ReleaseState.OFFLINE, action, false))
                    .isInstanceOf(IllegalTransitionException.class);
        }
    }

    @ParameterizedTest
    @EnumSource(ReleaseState.class)
    void internalActionsAreNeverOffered(ReleaseState from) {
        assertThat(ReleaseStateMachine.allowedActions(from)).doesNotContain("archive", "restore");
    }

    @Test
    void grayAndFullAreOfferedOnceAsRelease() {
        assertThat(ReleaseStateMachine.allowedActions(RELEASE_PREPARATION)).containsExactly("pilot", "release", "cancel");
        assertThat(ReleaseStateMachine.allowedActions(GRAYSCALE)).containsExactly("release", "cancel");
        assertThat(ReleaseStateMachine.allowedActions(FULL_RELEASE)).containsExactly("rollback", "offline");
        assertThat(ReleaseStateMachine.allowedActions(ARCHIVED)).isEmpty();
    }

    @Test
    void theMessageNamesTheStateAndWhatIsAllowedInstead() {
        assertThatThrownBy(() -> ReleaseStateMachine.next(GRAYSCALE, PILOT, true))
                .isInstanceOf(IllegalTransitionException.class)
                .hasMessage("cannot pilot a version in state GRAYSCALE; allowed: release, cancel");
        assertThatThrownBy(() -> ReleaseStateMachine.next(CANCELED, GRAY, true))
                .hasMessageStartingWith("cannot release a version in state CANCELED");
    }

    @Test
    void liveStatesAreTheOnesWalletsServe() {
        assertThat(Arrays.stream(ReleaseState.values()).filter(ReleaseState::isLive))
                .containsExactly(PILOT_TESTING, GRAYSCALE, FULL_RELEASE);
    }

    @Test
    void actionsHaveTheirApiNames() {
        assertThat(Arrays.stream(ReleaseAction.values()).map(ReleaseAction::apiName)).containsExactly(
                "submit", "approve", "reject", "pilot", "release", "release", "cancel", "rollback", "offline",
                "archive", "restore");
        assertThat(Arrays.stream(ReleaseAction.values()).filter(ReleaseAction::isInternal))
                .containsExactly(ARCHIVE, RESTORE);
        assertThat(FULL.apiName()).isEqualTo(GRAY.apiName());
        assertThat(CANCEL.isInternal()).isFalse();
        assertThat(ROLLBACK.isInternal()).isFalse();
    }
}
