package dev.miniplatform.model.template;

/**
 * A template version is reviewed once, for every merchant it will ever be applied to:
 * {@code CREATED → UNDER_REVIEW → APPROVED | REJECTED}, and a rejected version may be submitted again.
 * Only an APPROVED version can be applied, and only its instances skip the per-merchant review.
 */
public enum TemplateVersionState {
    CREATED, UNDER_REVIEW, APPROVED, REJECTED;

    public boolean submittable() {
        return this == CREATED || this == REJECTED;
    }
}
