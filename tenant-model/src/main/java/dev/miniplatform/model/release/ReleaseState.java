package dev.miniplatform.model.release;

/**
 * Where one release (a mini program version towards one release target) stands, named as Alipay+ names it so
 * that statuses read the same here, in the wallet console and in Alipay+ documentation. The legal moves between
 * them live in one place: {@link ReleaseStateMachine}.
 */
public enum ReleaseState {

    CREATED,
    UNDER_REVIEW,
    REJECTED,
    RELEASE_PREPARATION,
    PILOT_TESTING,
    GRAYSCALE,
    FULL_RELEASE,
    CANCELED,
    ARCHIVED,
    OFFLINE;

    /**
     * Whether a wallet may serve this release to at least some user: the whitelisted pilot users, the gray
     * percentage, or everyone. Every other state is invisible to end users.
     */
    public boolean isLive() {
        return switch (this) {
            case PILOT_TESTING, GRAYSCALE, FULL_RELEASE -> true;
            default -> false;
        };
    }
}
