package dev.miniplatform.api.member;

/** {@code POST /api/v1/invitations/accept}: the token from the invitation link, in the body rather than the path. */
record AcceptInvitationRequest(String token) {
}
