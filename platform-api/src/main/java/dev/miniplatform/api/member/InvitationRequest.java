package dev.miniplatform.api.member;

import java.util.List;

/**
 * Invite by name, email and role; a DEVELOPER needs at least one mini program of this workspace.
 */
record InvitationRequest(String name, String email, String role, List<String> miniPrograms) {
}
