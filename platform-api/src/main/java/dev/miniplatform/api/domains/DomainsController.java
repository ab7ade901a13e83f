package dev.miniplatform.api.domains;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

@Tag(name = "Server domains", description = "The domains a mini program may call, upload to, download from, "
        + "open sockets to and show in its web-view; wallets get them with each release")
@RestController
@RequestMapping("/api/v1/tenants/{tenantId}/mini-programs/{appId}/domains")
class DomainsController {

    private final DomainsService domains;

    DomainsController(DomainsService domains) {
        this.domains = domains;
    }

    @Operation(summary = "The five server domain lists of a mini program, with their revision (anyone who may see the mini program; ISVs with miniprogram:read)")
    @GetMapping
    Mono<DomainsView> get(@PathVariable String tenantId, @PathVariable String appId) {
        return domains.get(tenantId, appId);
    }

    @Operation(summary = "Replace all five lists (owner, master, assigned developer; ISVs with miniprogram:write); "
            + "every list required, at most 20 entries each, revision must be the current one (else 409); "
            + "400 names every bad entry; wallets see the lists from the next release on")
    @PutMapping
    Mono<DomainsView> put(@PathVariable String tenantId, @PathVariable String appId, @RequestBody DomainsRequest request) {
        return domains.replace(tenantId, appId, request);
    }
}
