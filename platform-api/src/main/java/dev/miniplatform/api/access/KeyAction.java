package dev.miniplatform.api.access;

/**
 * The operations a workspace's CI key can be let do; an operation is open to CI keys only when it names one of these
 * when it enters the tenant ({@link TenantScope#run(String, dev.miniplatform.model.isv.DelegationScope, KeyAction,
 * java.util.function.Function)}). Releasing, reading the console's data and managing the workspace never are.
 */
public enum KeyAction {
    /** Upload a new version of a named mini program. */
    UPLOAD,
    /** Create a preview of a named mini program for testers. */
    PREVIEW,
    /** Submit a version of a named mini program for review: only for keys created with {@code allowSubmit}. */
    SUBMIT
}
