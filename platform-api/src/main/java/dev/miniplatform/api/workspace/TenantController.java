package dev.miniplatform.api.workspace;

import dev.miniplatform.auth.principal.CurrentPrincipal;
import dev.miniplatform.auth.principal.PlatformPrincipal.ConsoleUser;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.net.URI;

@Tag(name = "Tenants", description = "Sign-up: merchant and ISV workspaces")
@RestController
@RequestMapping("/api/v1/tenants")
class TenantController {

    private final TenantService tenants;
    private final Quotas quotas;

    TenantController(TenantService tenants, Quotas quotas) {
        this.tenants = tenants;
        this.quotas = quotas;
    }

    @Operation(summary = "Create a workspace (MERCHANT or ISV); the caller becomes its OWNER")
    @PostMapping
    Mono<ResponseEntity<TenantView>> create(@RequestBody CreateTenantRequest request) {
        return consoleUser()
                .flatMap(user -> tenants.create(user, request))
                .map(created -> ResponseEntity.created(URI.create("/api/v1/tenants/" + created.id())).body(created));
    }

    @Operation(summary = "The workspaces the caller is an active member of, with the caller's role")
    @GetMapping
    Flux<TenantView> mine() {
        return consoleUser()
                .flatMapMany(tenants::listFor);
    }

    @Operation(summary = "Transfer ownership to an active master (owner only); the former owner becomes a master")
    @PostMapping("/{tenantId}/ownership")
    Mono<TenantView> transferOwnership(@PathVariable String tenantId, @RequestBody OwnershipTransfer request) {
        return tenants.transferOwnership(tenantId, request);
    }

    @Operation(summary = "Close the workspace (owner only); members lose access at once, records and audit log are kept, "
            + "stored packages and logos are deleted")
    @DeleteMapping("/{tenantId}")
    Mono<ResponseEntity<Void>> close(@PathVariable String tenantId) {
        return tenants.close(tenantId)
                .thenReturn(ResponseEntity.noContent().build());
    }

    @Operation(summary = "What the workspace uses of its quotas: stored bytes (code packages, logos) and mini programs")
    @GetMapping("/{tenantId}/usage")
    Mono<UsageView> usage(@PathVariable String tenantId) {
        return quotas.usage(tenantId);
    }

    /** Only people sign up and own workspaces; ISV applications and wallets never do. */
    private static Mono<ConsoleUser> consoleUser() {
        return CurrentPrincipal.consoleUser()
                .switchIfEmpty(Mono.error(() -> new ResponseStatusException(HttpStatus.FORBIDDEN,
                        "Only a person logged in to the console can do this.")));
    }
}
