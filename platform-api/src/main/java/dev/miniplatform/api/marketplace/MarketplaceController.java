package dev.miniplatform.api.marketplace;

import dev.miniplatform.api.paging.Page;
import dev.miniplatform.api.paging.PageParams;
import dev.miniplatform.auth.principal.CurrentPrincipal;
import dev.miniplatform.auth.principal.PlatformPrincipal.ConsoleUser;
import dev.miniplatform.model.isv.ServiceAction;
import dev.miniplatform.model.validation.NotFoundException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

import java.net.URI;
import java.util.List;

/** An ISV's services, the marketplace merchants browse, and the platform admin's approval of services. */
@Tag(name = "ISVs", description = "ISV application, services and the marketplace")
@RestController
class MarketplaceController {

    /** {@code {"reason": "…"}} for a rejection. */
    record Decision(String reason) {
    }

    private final Marketplace marketplace;

    MarketplaceController(Marketplace marketplace) {
        this.marketplace = marketplace;
    }

    @Operation(summary = "Create a service (DEVELOPMENT or TEMPLATE); it waits for platform approval")
    @PostMapping("/api/v1/tenants/{isvId}/services")
    Mono<ResponseEntity<ServiceView>> createService(@PathVariable String isvId, @RequestBody ServiceRequest request) {
        return marketplace.create(isvId, request)
                .map(view -> ResponseEntity.created(URI.create("/api/v1/tenants/" + isvId + "/services/" + view.id())).body(view));
    }

    @Operation(summary = "The ISV's services in every state")
    @GetMapping("/api/v1/tenants/{isvId}/services")
    Mono<List<ServiceView>> listServices(@PathVariable String isvId) {
        return marketplace.list(isvId);
    }

    @Operation(summary = "Approved services, newest first, filtered by type, industry and a keyword")
    @GetMapping("/api/v1/marketplace/services")
    Mono<Page<ServiceView>> marketplace(@RequestParam(required = false) String type,
                                        @RequestParam(required = false) String industry,
                                        @RequestParam(required = false) String q,
                                        @RequestParam(required = false) Integer page,
                                        @RequestParam(required = false) Integer size) {
        return marketplace.marketplace(type, industry, q, PageParams.of(page, size));
    }

    @Operation(summary = "Platform admin: services of every ISV in a state (default PENDING_APPROVAL), oldest first")
    @GetMapping("/api/v1/admin/services")
    Mono<List<ServiceView>> servicesInState(@RequestParam(required = false) String state,
                                            @RequestParam(required = false) Integer page,
                                            @RequestParam(required = false) Integer size) {
        return marketplace.inState(state, PageParams.of(page, size));
    }

    @Operation(summary = "Platform admin: list the service in the marketplace")
    @PostMapping("/api/v1/admin/services/{serviceId}/approve")
    Mono<ServiceView> approve(@PathVariable String serviceId) {
        return admin().flatMap(admin -> marketplace.decide(serviceId, ServiceAction.APPROVE, null, admin.userId()));
    }

    @Operation(summary = "Platform admin: reject the service with a reason")
    @PostMapping("/api/v1/admin/services/{serviceId}/reject")
    Mono<ServiceView> reject(@PathVariable String serviceId, @RequestBody(required = false) Decision decision) {
        return admin().flatMap(admin -> marketplace.decide(serviceId, ServiceAction.REJECT,
                decision == null ? null : decision.reason(), admin.userId()));
    }

    /** The security chain admits only the platform-admin role under /api/v1/admin. */
    private static Mono<ConsoleUser> admin() {
        return CurrentPrincipal.consoleUser()
                .switchIfEmpty(Mono.error(() -> new NotFoundException("Resource")));
    }
}
