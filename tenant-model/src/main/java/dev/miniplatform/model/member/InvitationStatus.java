package dev.miniplatform.model.member;

public enum InvitationStatus {
    PENDING,
    ACCEPTED,
    WITHDRAWN
}
