package dev.miniplatform.api.isv;

import dev.miniplatform.auth.principal.CurrentPrincipal;
import dev.miniplatform.auth.principal.PlatformPrincipal.ConsoleUser;
import dev.miniplatform.model.isv.IsvStatus;
import dev.miniplatform.model.validation.NotFoundException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** ISV onboarding (the OAuth application) and the platform admin's suspension of an ISV. */
@Tag(name = "ISVs", description = "ISV application, services and the marketplace")
@RestController
class IsvController {

    private final IsvApplicationService applications;

    IsvController(IsvApplicationService applications) {
        this.applications = applications;
    }

    @Operation(summary = "Register or change the ISV's OAuth application; secrets only when created or rotated")
    @PutMapping("/api/v1/tenants/{isvId}/isv-application")
    Mono<IsvApplicationView> putApplication(@PathVariable String isvId, @RequestBody IsvApplicationRequest request) {
        return applications.put(isvId, request);
    }

    @Operation(summary = "The ISV's OAuth application (no secrets)")
    @GetMapping("/api/v1/tenants/{isvId}/isv-application")
    Mono<IsvApplicationView> getApplication(@PathVariable String isvId) {
        return applications.get(isvId);
    }

    @Operation(summary = "Platform admin: suspend the ISV (client disabled, every token refused at once)")
    @PostMapping("/api/v1/admin/isvs/{isvId}/suspend")
    Mono<IsvApplicationView> suspend(@PathVariable String isvId) {
        return admin().flatMap(admin -> applications.setStatus(isvId, IsvStatus.SUSPENDED, admin.userId()));
    }

    @Operation(summary = "Platform admin: lift a suspension")
    @PostMapping("/api/v1/admin/isvs/{isvId}/reinstate")
    Mono<IsvApplicationView> reinstate(@PathVariable String isvId) {
        return admin().flatMap(admin -> applications.setStatus(isvId, IsvStatus.ACTIVE, admin.userId()));
    }

    /** The security chain admits only the platform-admin role under /api/v1/admin. */
    private static Mono<ConsoleUser> admin() {
        return CurrentPrincipal.consoleUser()
                .switchIfEmpty(Mono.error(() -> new NotFoundException("Resource")));
    }
}
