package dev.miniplatform.api.walletapi;

import dev.miniplatform.model.release.GrayBucket;
import dev.miniplatform.model.release.ReleaseState;
import dev.miniplatform.model.release.SemanticVersion;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Which live release of one target a wallet user runs. Eligible are: the full release (everyone), a grayscale
 * release when the user's {@link GrayBucket} is below its percentage, a pilot when the user is whitelisted. Of
 * the eligible, the highest version wins, so a whitelisted or gray user gets the newer build and everyone else
 * the full release. Without a user id only the full release is eligible.
 */
final class VersionChoice {

    private VersionChoice() {
    }

    static Optional<CatalogDocument.LiveRelease> forUser(String appId, List<CatalogDocument.LiveRelease> live,
                                                         String userId) {
        return live.stream()
                .filter(release -> eligible(appId, release, userId))
                .max(Comparator.comparing(release -> SemanticVersion.parse("version", release.version())));
    }

    private static boolean eligible(String appId, CatalogDocument.LiveRelease release, String userId) {
        ReleaseState state = ReleaseState.valueOf(release.state());
        return switch (state) {
            case FULL_RELEASE -> true;
            case GRAYSCALE -> userId != null && release.grayPercent() != null
                    && GrayBucket.inGray(release.grayPercent(), appId, release.version(), userId);
            case PILOT_TESTING -> userId != null && release.pilotUsers().contains(userId);
            default -> false;
        };
    }
}
