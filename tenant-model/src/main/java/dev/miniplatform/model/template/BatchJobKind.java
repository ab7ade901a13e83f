package dev.miniplatform.model.template;

/** What a batch job does to each of its merchants. */
public enum BatchJobKind {
    /** Create or update the merchant's mini program from a template version with the merchant's ext config. */
    APPLY_TEMPLATE,
    /** Submit (no review for an approved template's instance) and release the mini programs of an earlier job. */
    RELEASE,
    /** Roll the mini programs of an earlier job back to their previous full release on a target. */
    ROLLBACK
}
