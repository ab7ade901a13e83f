package dev.miniplatform.api.member;

import dev.miniplatform.model.tenancy.MemberRole;

import java.util.List;
import java.util.UUID;

record AcceptedInvitation(UUID tenantId, MemberRole role, List<String> miniPrograms) {
}
