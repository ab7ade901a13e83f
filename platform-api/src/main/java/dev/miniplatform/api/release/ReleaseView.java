package dev.miniplatform.api.release;

import dev.miniplatform.model.release.Release;
import dev.miniplatform.model.release.ReleaseState;
import dev.miniplatform.model.release.ReleaseStateMachine;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * A version's state on one target, with the actions its state allows (from {@link ReleaseStateMachine}, so a client
 * offers exactly what the server would accept).
 */
public record ReleaseView(Target target, String version, ReleaseState state, Integer grayPercent,
                          List<String> pilotUserIds, String rejectReason, UUID reviewId, Instant updatedAt,
                          List<String> allowedActions) {

    public record Target(UUID wallet, String environment) {
    }

    private static final Set<String> REVIEWER_ACTIONS = Set.of("approve", "reject");

    static ReleaseView of(Release release) {
        List<String> pilot = release.pilotUserIds() == null ? List.of() : Arrays.asList(release.pilotUserIds().split("\n"));
        return new ReleaseView(new Target(release.walletId(), release.environment().name()), release.version(),
                release.state(), release.grayPercent(), pilot, release.rejectReason(), release.reviewId(),
                release.updatedAt(), ownerActions(release.state()));
    }

    /** Approve and reject belong to the platform's reviewers (the review queue), not to the release's owner. */
    private static List<String> ownerActions(ReleaseState state) {
        return ReleaseStateMachine.allowedActions(state).stream()
                .filter(action -> !REVIEWER_ACTIONS.contains(action))
                .toList();
    }
}
