package dev.miniplatform.api.member;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

import java.net.URI;
import java.util.List;

@Tag(name = "Invitations", description = "Invite masters and developers by email; accept as the invitee")
@RestController
class InvitationController {

    private final InvitationService invitations;
    private final InvitationAcceptance acceptance;

    InvitationController(InvitationService invitations, InvitationAcceptance acceptance) {
        this.invitations = invitations;
        this.acceptance = acceptance;
    }

    @Operation(summary = "Invite by name, email and role (MASTER, or DEVELOPER with at least one mini program)")
    @PostMapping("/api/v1/tenants/{tenantId}/invitations")
    Mono<ResponseEntity<InvitationView>> invite(@PathVariable String tenantId, @RequestBody InvitationRequest request) {
        return invitations.invite(tenantId, request)
                .map(sent -> ResponseEntity.created(URI.create("/api/v1/tenants/%s/invitations/%s"
                        .formatted(tenantId, sent.id()))).body(sent));
    }

    @Operation(summary = "Pending invitations of the workspace")
    @GetMapping("/api/v1/tenants/{tenantId}/invitations")
    Mono<List<InvitationView>> list(@PathVariable String tenantId) {
        return invitations.list(tenantId);
    }

    @Operation(summary = "Withdraw a pending invitation; its link stops working")
    @DeleteMapping("/api/v1/tenants/{tenantId}/invitations/{invitationId}")
    Mono<ResponseEntity<Void>> withdraw(@PathVariable String tenantId, @PathVariable String invitationId) {
        return invitations.withdraw(tenantId, invitationId)
                .thenReturn(ResponseEntity.noContent().build());
    }

    @Operation(summary = "Send a pending invitation again with a new link valid three days; the old link stops working")
    @PostMapping("/api/v1/tenants/{tenantId}/invitations/{invitationId}/resend")
    Mono<InvitationView> resend(@PathVariable String tenantId, @PathVariable String invitationId) {
        return invitations.resend(tenantId, invitationId);
    }

    @Operation(summary = "Accept an invitation as the logged-in invitee: the token from the link's fragment goes in the "
            + "body; the account's email must be the invited address and verified")
    @PostMapping("/api/v1/invitations/accept")
    Mono<AcceptedInvitation> accept(@RequestBody AcceptInvitationRequest request) {
        return acceptance.accept(request);
    }

    /**
     * The first form of the accept call. It puts the token in the path, where access logs and proxies record it, so
     * it is deprecated: it answers as {@code POST /api/v1/invitations/accept} does and says so in its headers
     * (RFC 9745 {@code Deprecation}, successor link). Kept so that links in mails sent before the change still work.
     */
    @Deprecated
    @Operation(summary = "Deprecated: use POST /api/v1/invitations/accept with {\"token\": …}", deprecated = true)
    @PostMapping("/api/v1/invitations/{token}/accept")
    Mono<ResponseEntity<AcceptedInvitation>> acceptWithTokenInPath(@PathVariable String token) {
        return acceptance.accept(token)
                .map(accepted -> ResponseEntity.ok()
                        .header("Deprecation", "true")
                        .header("Link", "</api/v1/invitations/accept>; rel=\"successor-version\"")
                        .body(accepted));
    }
}
