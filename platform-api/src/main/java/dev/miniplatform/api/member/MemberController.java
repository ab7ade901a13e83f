package dev.miniplatform.api.member;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

import java.util.List;

@Tag(name = "Members", description = "Members of a workspace (owner and masters)")
@RestController
@RequestMapping("/api/v1/tenants/{tenantId}/members")
class MemberController {

    private final MemberService members;

    MemberController(MemberService members) {
        this.members = members;
    }

    @Operation(summary = "Members of the workspace with their roles and assignments")
    @GetMapping
    Mono<List<MemberView>> list(@PathVariable String tenantId) {
        return members.list(tenantId);
    }

    @Operation(summary = "Change role, block/unblock, or reassign mini programs; effective on the member's next request")
    @PatchMapping("/{userId}")
    Mono<MemberView> change(@PathVariable String tenantId, @PathVariable String userId, @RequestBody MemberPatch patch) {
        return members.change(tenantId, userId, patch);
    }

    @Operation(summary = "Remove a member; effective on their next request")
    @DeleteMapping("/{userId}")
    Mono<ResponseEntity<Void>> remove(@PathVariable String tenantId, @PathVariable String userId) {
        return members.remove(tenantId, userId)
                .thenReturn(ResponseEntity.noContent().build());
    }
}
