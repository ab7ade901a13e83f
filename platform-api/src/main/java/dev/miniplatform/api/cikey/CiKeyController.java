package dev.miniplatform.api.cikey;

import dev.miniplatform.api.access.Access;
import dev.miniplatform.model.validation.NotFoundException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.net.URI;
import java.util.List;
import java.util.UUID;

@Tag(name = "CI keys", description = "Keys a build pipeline uses to upload, preview and submit named mini programs")
@RestController
class CiKeyController {

    private static final String KEYS = "/api/v1/tenants/{tenantId}/ci-keys";

    /** What the calling key may do, for `mpp whoami` with a key. */
    record CurrentKey(UUID id, UUID workspaceId, String name, String clientId, List<String> appIds, boolean allowSubmit) {
    }

    private final CiKeyService keys;

    CiKeyController(CiKeyService keys) {
        this.keys = keys;
    }

    @Operation(operationId = "createCiKey", summary = "Create a CI key (owner or master): a Keycloak client for client "
            + "credentials that may only upload and preview the named mini programs (and submit them, if allowed), from "
            + "optional address blocks; the answer carries its secret, shown this once")
    @PostMapping(KEYS)
    Mono<ResponseEntity<CiKeyView>> create(@PathVariable String tenantId, @RequestBody(required = false) CiKeyRequest request) {
        return keys.create(tenantId, request)
                .map(created -> ResponseEntity.created(URI.create("/api/v1/tenants/" + tenantId + "/ci-keys/" + created.id()))
                        .body(created));
    }

    @Operation(operationId = "listCiKeys", summary = "The workspace's CI keys, in force first, then revoked (owner or master; no secrets)")
    @GetMapping(KEYS)
    Flux<CiKeyView> list(@PathVariable String tenantId) {
        return keys.list(tenantId);
    }

    @Operation(operationId = "rotateCiKey", summary = "Give a CI key a new secret (owner or master): the old secret and "
            + "every token issued with it stop working; the answer carries the new secret, shown this once")
    @PostMapping(KEYS + "/{keyId}/rotate")
    Mono<CiKeyView> rotate(@PathVariable String tenantId, @PathVariable String keyId) {
        return keys.rotate(tenantId, keyId);
    }

    @Operation(operationId = "revokeCiKey", summary = "Revoke a CI key (owner or master): refused from the next request on, "
            + "its Keycloak client deleted; revoking a revoked key changes nothing")
    @DeleteMapping(KEYS + "/{keyId}")
    Mono<ResponseEntity<Void>> revoke(@PathVariable String tenantId, @PathVariable String keyId) {
        return keys.revoke(tenantId, keyId)
                .thenReturn(ResponseEntity.noContent().build());
    }

    @Operation(operationId = "currentCiKey", summary = "The calling CI key: its workspace, mini programs and whether it "
            + "may submit (404 for any other caller)")
    @GetMapping("/api/v1/ci-key")
    Mono<CurrentKey> current() {
        return Access.KeyGrant.current()
                .map(grant -> new CurrentKey(grant.keyId(), grant.workspaceId(), grant.name(), grant.clientId(),
                        grant.appIds().stream().sorted().toList(), grant.allowSubmit()))
                .switchIfEmpty(Mono.error(() -> new NotFoundException("CI key")));
    }
}
