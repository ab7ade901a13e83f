package dev.miniplatform.model.release;

public enum ReviewStatus {
    PENDING,
    APPROVED,
    REJECTED
}
