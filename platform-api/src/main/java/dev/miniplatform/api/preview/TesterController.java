package dev.miniplatform.api.preview;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

import java.util.List;

@Tag(name = "Tester accounts", description = "Wallet user ids that may open this workspace's previews")
@RestController
@RequestMapping("/api/v1/tenants/{tenantId}")
class TesterController {

    private final TesterAccounts testers;

    TesterController(TesterAccounts testers) {
        this.testers = testers;
    }

    @Operation(operationId = "getMyTesterAccounts", summary = "My tester accounts in this workspace: wallet user ids per wallet")
    @GetMapping("/members/me/testers")
    Mono<TesterAccounts.Accounts> mine(@PathVariable String tenantId) {
        return testers.mine(tenantId);
    }

    @Operation(operationId = "replaceMyTesterAccounts", summary = "Replace my tester accounts: {accounts: [{wallet, userId}]}, at most 10 per wallet, "
            + "user ids of 1–128 printable characters, registered wallets only")
    @PutMapping("/members/me/testers")
    Mono<TesterAccounts.Accounts> replace(@PathVariable String tenantId,
                                          @RequestBody(required = false) TesterAccounts.Request request) {
        return testers.replace(tenantId, request);
    }

    @Operation(operationId = "deleteMyTesterAccounts", summary = "Unbind all my tester accounts in this workspace")
    @DeleteMapping("/members/me/testers")
    Mono<ResponseEntity<Void>> clear(@PathVariable String tenantId) {
        return testers.clear(tenantId)
                .thenReturn(ResponseEntity.noContent().build());
    }

    @Operation(operationId = "listWorkspaceTesterAccounts", summary = "Every member's tester accounts (owner and master only)")
    @GetMapping("/testers")
    Mono<List<TesterAccounts.MemberAccount>> workspace(@PathVariable String tenantId) {
        return testers.workspace(tenantId);
    }
}
