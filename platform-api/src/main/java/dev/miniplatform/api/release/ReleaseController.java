package dev.miniplatform.api.release;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

import java.net.URI;
import java.util.List;

@Tag(name = "Versions and releases", description = "Upload code packages and move versions through review and release per target")
@RestController
@RequestMapping("/api/v1/tenants/{tenantId}/mini-programs/{appId}")
class ReleaseController {

    private final VersionService versions;
    private final ReleaseService releases;
    private final CodePackages packages;

    ReleaseController(VersionService versions, ReleaseService releases, CodePackages packages) {
        this.versions = versions;
        this.releases = releases;
        this.packages = packages;
    }

    @Operation(summary = "Upload a version: multipart with version=x.y.z, description, package=<zip with app.json>")
    @PostMapping(path = "/versions", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    Mono<ResponseEntity<VersionView>> upload(@PathVariable String tenantId, @PathVariable String appId,
                                             ServerHttpRequest request) {
        // access first, then the body: see VersionService.checkUploadAllowed
        return Mono.fromRunnable(() -> packages.checkDeclaredLength(request))
                .then(versions.checkUploadAllowed(tenantId, appId))
                .then(packages.receive(request, received -> versions.upload(tenantId, appId, received)))
                .map(created -> ResponseEntity.created(URI.create("/api/v1/tenants/%s/mini-programs/%s/versions/%s"
                        .formatted(tenantId, appId, created.version()))).body(created));
    }

    @Operation(summary = "Versions of the mini program, newest first, with their release states")
    @GetMapping("/versions")
    Mono<List<VersionView>> versions(@PathVariable String tenantId, @PathVariable String appId) {
        return versions.list(tenantId, appId);
    }

    @Operation(summary = "Submit a version to a target: review for PROD (and SANDBOX if the wallet says so)")
    @PostMapping("/versions/{version}/submit")
    Mono<ResponseEntity<ReleaseView>> submit(@PathVariable String tenantId, @PathVariable String appId,
                                             @PathVariable String version, @RequestBody ReleaseRequest request) {
        return releases.submit(tenantId, appId, version, request)
                .map(view -> ResponseEntity.status(HttpStatus.ACCEPTED).body(view));
    }

    @Operation(summary = "Release: grayPercent 1–99 is a gray release (may only grow), 100 the full release")
    @PostMapping("/versions/{version}/release")
    Mono<ReleaseView> release(@PathVariable String tenantId, @PathVariable String appId, @PathVariable String version,
                              @RequestBody ReleaseRequest request) {
        return releases.release(tenantId, appId, version, request);
    }

    @Operation(summary = "Pilot test with a whitelist of wallet user ids")
    @PostMapping("/versions/{version}/pilot")
    Mono<ReleaseView> pilot(@PathVariable String tenantId, @PathVariable String appId, @PathVariable String version,
                            @RequestBody ReleaseRequest request) {
        return releases.pilot(tenantId, appId, version, request);
    }

    @Operation(summary = "Cancel from preparation, pilot or gray; cannot be redone for that target")
    @PostMapping("/versions/{version}/cancel")
    Mono<ReleaseView> cancel(@PathVariable String tenantId, @PathVariable String appId, @PathVariable String version,
                             @RequestBody ReleaseRequest request) {
        return releases.cancel(tenantId, appId, version, request);
    }

    @Operation(summary = "Roll the target back to its previous full release, without a new review")
    @PostMapping("/versions/{version}/rollback")
    Mono<ReleaseView> rollback(@PathVariable String tenantId, @PathVariable String appId, @PathVariable String version,
                               @RequestBody ReleaseRequest request) {
        return releases.rollback(tenantId, appId, version, request);
    }

    @Operation(summary = "Take the fully released version offline on the target")
    @PostMapping("/versions/{version}/offline")
    Mono<ReleaseView> offline(@PathVariable String tenantId, @PathVariable String appId, @PathVariable String version,
                              @RequestBody ReleaseRequest request) {
        return releases.offline(tenantId, appId, version, request);
    }

    @Operation(summary = "Every version's state on every target, most recently changed first")
    @GetMapping("/releases")
    Mono<List<ReleaseView>> list(@PathVariable String tenantId, @PathVariable String appId) {
        return releases.list(tenantId, appId);
    }
}
