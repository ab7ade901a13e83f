package dev.miniplatform.api.member;

import dev.miniplatform.model.tenancy.MemberRole;
import dev.miniplatform.model.tenancy.Membership;
import dev.miniplatform.model.tenancy.MembershipStatus;

import java.util.List;

record MemberView(String userId, String name, String email, MemberRole role, MembershipStatus status,
                  List<String> miniPrograms) {

    static MemberView of(Membership membership, List<String> miniPrograms) {
        return new MemberView(membership.userId(), membership.displayName(), membership.email(), membership.role(),
                membership.status(), miniPrograms);
    }
}
