package dev.miniplatform.api.tenancy;

import dev.miniplatform.auth.principal.CurrentPrincipal;
import dev.miniplatform.auth.principal.PlatformPrincipal.ConsoleUser;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
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

    TenantController(TenantService tenants) {
        this.tenants = tenants;
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

    /** Only people sign up and own workspaces; ISV applications and wallets never do. */
    private static Mono<ConsoleUser> consoleUser() {
        return CurrentPrincipal.consoleUser()
                .switchIfEmpty(Mono.error(() -> new ResponseStatusException(HttpStatus.FORBIDDEN,
                        "Only a person logged in to the console can do this.")));
    }
}
