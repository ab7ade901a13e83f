package dev.miniplatform.api.preview;

import dev.miniplatform.api.release.CodePackages;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

import java.net.URI;
import java.util.List;

@Tag(name = "Previews", description = "Debug a mini program on a wallet before any review")
@RestController
@RequestMapping("/api/v1/tenants/{tenantId}/mini-programs/{appId}/previews")
class PreviewController {

    private final PreviewService previews;
    private final CodePackages packages;

    PreviewController(PreviewService previews, CodePackages packages) {
        this.previews = previews;
        this.packages = packages;
    }

    @Operation(operationId = "createPreview", summary = "Upload a package as a preview for one wallet (?wallet=<walletId>, multipart package=<zip>): "
            + "not a version, expires, counts in the storage quota; the answer carries the ticket, deep link and QR "
            + "codes (PNG and SVG data URLs), shown this once")
    @PostMapping(consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    Mono<ResponseEntity<PreviewService.IssuedPreview>> create(@PathVariable String tenantId, @PathVariable String appId,
                                                              @RequestParam(required = false) String wallet,
                                                              ServerHttpRequest request) {
        // access, wallet and quota first, then the body (as version uploads)
        return Mono.fromRunnable(() -> packages.checkDeclaredLength(request))
                .then(previews.checkUploadAllowed(tenantId, appId, wallet))
                .flatMap(target -> packages.receiveUnversioned(request,
                        received -> previews.create(tenantId, appId, target, received)))
                .map(issued -> ResponseEntity.created(URI.create("/api/v1/tenants/%s/mini-programs/%s/previews/%s"
                                .formatted(tenantId, appId, issued.id())))
                        .cacheControl(CacheControl.noStore())
                        .body(issued));
    }

    @Operation(operationId = "listPreviews", summary = "Live previews of the mini program, newest first (without tickets: those are shown once)")
    @GetMapping
    Mono<List<PreviewService.PreviewView>> list(@PathVariable String tenantId, @PathVariable String appId) {
        return previews.list(tenantId, appId);
    }

    @Operation(operationId = "renewPreviewTicket", summary = "Issue a new ticket (deep link, QR codes) for a live preview; the previous ticket stops working")
    @PostMapping("/{previewId}/ticket")
    Mono<ResponseEntity<PreviewService.IssuedPreview>> reissue(@PathVariable String tenantId, @PathVariable String appId,
                                                               @PathVariable String previewId) {
        return previews.reissue(tenantId, appId, previewId)
                .map(issued -> ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(issued));
    }

    @Operation(operationId = "deletePreview", summary = "Delete a preview: its ticket stops working and its bytes leave the storage quota")
    @DeleteMapping("/{previewId}")
    Mono<ResponseEntity<Void>> delete(@PathVariable String tenantId, @PathVariable String appId,
                                      @PathVariable String previewId) {
        return previews.delete(tenantId, appId, previewId)
                .thenReturn(ResponseEntity.noContent().build());
    }
}
