package dev.miniplatform.api.member;

import java.util.List;

/**
 * Change a member: any of role (MASTER or DEVELOPER), status (ACTIVE or BLOCKED) and the developer's assigned
 * mini programs (replaces the list). Omitted fields stay as they are.
 */
record MemberPatch(String role, String status, List<String> miniPrograms) {
}
