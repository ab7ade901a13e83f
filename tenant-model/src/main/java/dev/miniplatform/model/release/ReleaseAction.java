package dev.miniplatform.model.release;

/**
 * What can be done to a release. {@link #apiName()} is the verb clients see; gray and full release share the verb
 * {@code release} because the API tells them apart by the percentage (100 % is a full release), as Alipay+ does.
 */
public enum ReleaseAction {

    SUBMIT("submit"),
    APPROVE("approve"),
    REJECT("reject"),
    PILOT("pilot"),
    GRAY("release"),
    FULL("release"),
    CANCEL("cancel"),
    ROLLBACK("rollback"),
    OFFLINE("offline"),
    ARCHIVE("archive"),
    RESTORE("restore");

    private final String apiName;

    ReleaseAction(String apiName) {
        this.apiName = apiName;
    }

    public String apiName() {
        return apiName;
    }

    /**
     * Actions the platform takes by itself as a side effect of another one, never on a user's request: a newer
     * full release archives the previous one, and a rollback restores it. They are therefore never offered as
     * allowed actions.
     */
    public boolean isInternal() {
        return this == ARCHIVE || this == RESTORE;
    }
}
