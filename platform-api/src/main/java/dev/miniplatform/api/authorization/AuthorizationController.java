package dev.miniplatform.api.authorization;

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
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

import java.net.URI;
import java.util.List;

/** A merchant's authorizations of ISV services (owner or master to change; any member to read). */
@Tag(name = "Authorizations", description = "Merchants authorize ISV services and revoke them")
@RestController
@RequestMapping("/api/v1/tenants/{merchantId}/authorizations")
class AuthorizationController {

    private final AuthorizationService authorizations;

    AuthorizationController(AuthorizationService authorizations) {
        this.authorizations = authorizations;
    }

    @Operation(summary = "Authorize a marketplace service: PENDING_CONSENT and the Keycloak URL to consent at")
    @PostMapping
    Mono<ResponseEntity<AuthorizationView>> request(@PathVariable String merchantId,
                                                    @RequestBody(required = false) AuthorizationRequest request) {
        return authorizations.request(merchantId, request)
                .map(view -> ResponseEntity.created(URI.create("/api/v1/tenants/" + merchantId + "/authorizations/" + view.id()))
                        .body(view));
    }

    @Operation(summary = "The merchant's authorizations of ISVs, newest first")
    @GetMapping
    Mono<List<AuthorizationView>> list(@PathVariable String merchantId) {
        return authorizations.list(merchantId);
    }

    @Operation(summary = "One authorization of the merchant, with its state and scopes")
    @GetMapping("/{id}")
    Mono<AuthorizationView> get(@PathVariable String merchantId, @PathVariable String id) {
        return authorizations.get(merchantId, id);
    }

    @Operation(summary = "Revoke: the ISV's next request is refused on every node; Keycloak consent revoked too")
    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    Mono<Void> revoke(@PathVariable String merchantId, @PathVariable String id) {
        return authorizations.revoke(merchantId, id);
    }
}
