package dev.miniplatform.api.change;

/**
 * Something a wallet can see changed: a mini program's information or logo, its releases, its deletion, or the
 * closing of its whole workspace.
 *
 * @param appId the mini program, or {@code null} for {@link Kind#WORKSPACE_CLOSED} (every mini program of the
 *              tenant whose transaction publishes it)
 */
public record MiniProgramChanged(String appId, Kind kind) {

    public enum Kind {
        /** Information, logo or release changed; the mini program still exists. */
        MODIFIED,
        /** The mini program is being deleted. */
        REMOVED,
        /** The tenant's workspace is closing: every mini program of it leaves every wallet. */
        WORKSPACE_CLOSED
    }

    public MiniProgramChanged {
        if (kind == null || (appId == null) != (kind == Kind.WORKSPACE_CLOSED)) {
            throw new IllegalArgumentException("an app id is required exactly when one mini program changed: "
                    + appId + ", " + kind);
        }
    }

    public static MiniProgramChanged modified(String appId) {
        return new MiniProgramChanged(appId, Kind.MODIFIED);
    }

    public static MiniProgramChanged removed(String appId) {
        return new MiniProgramChanged(appId, Kind.REMOVED);
    }

    public static MiniProgramChanged workspaceClosed() {
        return new MiniProgramChanged(null, Kind.WORKSPACE_CLOSED);
    }
}
