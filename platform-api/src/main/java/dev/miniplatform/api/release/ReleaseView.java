package dev.miniplatform.api.release;

import dev.miniplatform.model.release.Release;
import dev.miniplatform.model.release.ReleaseState;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * A version's state on one target.
 */
public record ReleaseView(Target target, String version, ReleaseState state, Integer grayPercent,
                          List<String> pilotUserIds, String rejectReason, UUID reviewId, Instant updatedAt) {

    public record Target(UUID wallet, String environment) {
    }

    static ReleaseView of(Release release) {
        List<String> pilot = release.pilotUserIds() == null ? List.of() : Arrays.asList(release.pilotUserIds().split("\n"));
        return new ReleaseView(new Target(release.walletId(), release.environment().name()), release.version(),
                release.state(), release.grayPercent(), pilot, release.rejectReason(), release.reviewId(),
                release.updatedAt());
    }
}
