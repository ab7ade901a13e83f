package dev.miniplatform.api.walletapi;

import dev.miniplatform.model.release.GrayBucket;
import dev.miniplatform.model.release.SemanticVersion;

import java.util.Comparator;

/**
 * Which live release of one target a wallet user runs. Eligible are: the full release (everyone), a grayscale
 * release when the user's {@link GrayBucket} is below its percentage, a pilot when the user is whitelisted. Of
 * the eligible, the highest version wins, so a whitelisted or gray user gets the newer build and everyone else
 * the full release. Without a user id only the full release is eligible.
 * <p>
 * Versions are ordered once, when an entry is built ({@link #NEWEST_FIRST}), so a read walks the releases until
 * the first eligible one and parses nothing.
 */
final class VersionChoice {

    /** Highest version first; releases of equal versions keep their order. */
    static final Comparator<CatalogDocument.LiveRelease> NEWEST_FIRST = Comparator.comparing(
            (CatalogDocument.LiveRelease release) -> SemanticVersion.parse("version", release.version())).reversed();

    private VersionChoice() {
    }

    /**
     * @param newestFirst the target's live releases, in {@link #NEWEST_FIRST} order
     * @return the index of the user's release, or -1 when none reaches the user
     */
    static int forUser(String appId, CatalogEntry.Release[] newestFirst, String userId) {
        for (int i = 0; i < newestFirst.length; i++) {
            if (eligible(appId, newestFirst[i], userId)) {
                return i;
            }
        }
        return -1;
    }

    private static boolean eligible(String appId, CatalogEntry.Release release, String userId) {
        return switch (release.state()) {
            case FULL_RELEASE -> true;
            case GRAYSCALE -> userId != null && release.grayPercent() != null
                    && GrayBucket.inGray(release.grayPercent(), appId, release.version(), userId);
            case PILOT_TESTING -> userId != null && release.pilotUsers().contains(userId);
            default -> false;
        };
    }
}
