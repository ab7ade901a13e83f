package dev.miniplatform.model.release;

import dev.miniplatform.model.state.TransitionTable;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
import static dev.miniplatform.model.release.ReleaseState.OFFLINE;
import static dev.miniplatform.model.release.ReleaseState.PILOT_TESTING;
import static dev.miniplatform.model.release.ReleaseState.REJECTED;
import static dev.miniplatform.model.release.ReleaseState.RELEASE_PREPARATION;
import static dev.miniplatform.model.release.ReleaseState.UNDER_REVIEW;

/**
 * The Alipay+ release lifecycle of one mini program version towards one release target, as a single explicit
 * table. Everything that asks "may this happen now?" asks here, so the rules cannot drift apart between the
 * service that applies an action and the API that advertises the allowed ones.
 *
 * <pre>
 * from                 action     to
 * -------------------  ---------  ---------------------------------------------------------
 * CREATED              SUBMIT     UNDER_REVIEW if review is required, else RELEASE_PREPARATION
 * REJECTED             SUBMIT     as from CREATED (Alipay+ lets a rejected version be resubmitted)
 * UNDER_REVIEW         APPROVE    RELEASE_PREPARATION
 *                      REJECT     REJECTED
 * RELEASE_PREPARATION  PILOT      PILOT_TESTING
 *                      GRAY       GRAYSCALE
 *                      FULL       FULL_RELEASE
 *                      CANCEL     CANCELED
 * PILOT_TESTING        PILOT      PILOT_TESTING   (updates the whitelist)
 *                      GRAY       GRAYSCALE
 *                      FULL       FULL_RELEASE
 *                      CANCEL     CANCELED
 * GRAYSCALE            GRAY       GRAYSCALE       (the percentage may only grow; checked by GrayPercent)
 *                      FULL       FULL_RELEASE
 *                      CANCEL     CANCELED
 * FULL_RELEASE         ROLLBACK   ARCHIVED        (the previous full release is restored)
 *                      OFFLINE    OFFLINE
 *                      ARCHIVE    ARCHIVED        (internal: a newer full release replaced this one)
 * ARCHIVED             RESTORE    FULL_RELEASE    (internal: a rollback of the newer one restores this one)
 * CANCELED             -          terminal: a canceled release cannot be redone for that target
 * OFFLINE              -          terminal
 * </pre>
 *
 * Every pair not listed is illegal and fails with {@link IllegalTransitionException}. Internal actions
 * ({@link ReleaseAction#isInternal()}) are legal transitions but are never offered to users.
 */
public final class ReleaseStateMachine {

    /** Where an action leads; only SUBMIT depends on whether the target reviews releases. */
    private record Target(ReleaseState withReview, ReleaseState withoutReview) {

        ReleaseState resolve(boolean reviewRequired) {
            return reviewRequired ? withReview : withoutReview;
        }
    }

    private static final Target SUBMITTED = new Target(UNDER_REVIEW, RELEASE_PREPARATION);

    private static final TransitionTable<ReleaseState, ReleaseAction, Target> TABLE =
            TransitionTable.<ReleaseState, ReleaseAction, Target>of(ReleaseState.class, ReleaseAction.class)
                    .row(CREATED,             Map.of(SUBMIT, SUBMITTED))
                    .row(REJECTED,            Map.of(SUBMIT, SUBMITTED))
                    .row(UNDER_REVIEW,        Map.of(APPROVE, to(RELEASE_PREPARATION),
                                                     REJECT, to(REJECTED)))
                    .row(RELEASE_PREPARATION, Map.of(PILOT, to(PILOT_TESTING),
                                                     GRAY, to(GRAYSCALE),
                                                     FULL, to(FULL_RELEASE),
                                                     CANCEL, to(CANCELED)))
                    .row(PILOT_TESTING,       Map.of(PILOT, to(PILOT_TESTING),
                                                     GRAY, to(GRAYSCALE),
                                                     FULL, to(FULL_RELEASE),
                                                     CANCEL, to(CANCELED)))
                    .row(GRAYSCALE,           Map.of(GRAY, to(GRAYSCALE),
                                                     FULL, to(FULL_RELEASE),
                                                     CANCEL, to(CANCELED)))
                    .row(FULL_RELEASE,        Map.of(ROLLBACK, to(ARCHIVED),
                                                     ReleaseAction.OFFLINE, to(OFFLINE),
                                                     ARCHIVE, to(ARCHIVED)))
                    .row(ARCHIVED,            Map.of(RESTORE, to(FULL_RELEASE)))
                    .row(CANCELED,            Map.of())
                    .row(OFFLINE,             Map.of())
                    .build();

    private ReleaseStateMachine() {
    }

    /**
     * @param reviewRequired whether the release target reviews releases (see
     *                       {@link Environment#requiresReview(boolean)}); only matters for SUBMIT
     * @return the state after the action
     * @throws IllegalTransitionException if the table has no such move from {@code from}
     */
    public static ReleaseState next(ReleaseState from, ReleaseAction action, boolean reviewRequired) {
        return TABLE.target(from, action)
                .orElseThrow(() -> new IllegalTransitionException(from, action))
                .resolve(reviewRequired);
    }

    /**
     * The API names of the actions a user may take from {@code from}, without duplicates (GRAY and FULL are both
     * {@code release}) and without internal actions, in {@link ReleaseAction} declaration order so responses are
     * stable. Empty for terminal states.
     */
    public static List<String> allowedActions(ReleaseState from) {
        Set<String> names = new LinkedHashSet<>();
        for (ReleaseAction action : TABLE.actions(from)) {
            if (!action.isInternal()) {
                names.add(action.apiName());
            }
        }
        return List.copyOf(names);
    }

    private static Target to(ReleaseState state) {
        return new Target(state, state);
    }
}
