package dev.miniplatform.api.miniprogram;

import dev.miniplatform.api.paging.Page;
import dev.miniplatform.api.paging.PageParams;
import dev.miniplatform.model.miniprogram.Logo;
import dev.miniplatform.model.miniprogram.LogoTooLargeException;
import dev.miniplatform.model.miniprogram.StoredLogo;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

import java.net.URI;

@Tag(name = "Mini programs", description = "Create, list, modify and delete a workspace's mini programs; logos")
@RestController
@RequestMapping("/api/v1/tenants/{tenantId}/mini-programs")
class MiniProgramController {

    private final MiniProgramService miniPrograms;

    MiniProgramController(MiniProgramService miniPrograms) {
        this.miniPrograms = miniPrograms;
    }

    @Operation(summary = "Create a mini program (owner, master); every field is required")
    @PostMapping
    Mono<ResponseEntity<MiniProgramView>> create(@PathVariable String tenantId, @RequestBody MiniProgramRequest request) {
        return miniPrograms.create(tenantId, request)
                .map(created -> ResponseEntity.created(URI.create("/api/v1/tenants/%s/mini-programs/%s"
                        .formatted(tenantId, created.appId()))).body(created));
    }

    @Operation(summary = "Mini programs of the workspace (a developer sees only the assigned ones)")
    @GetMapping
    Mono<Page<MiniProgramView>> list(@PathVariable String tenantId, @RequestParam(required = false) Integer page,
                                     @RequestParam(required = false) Integer size) {
        return miniPrograms.list(tenantId, PageParams.of(page, size));
    }

    @Operation(summary = "Modify a mini program; all fields required, revision must be the current one (else 409)")
    @PutMapping("/{appId}")
    Mono<MiniProgramView> update(@PathVariable String tenantId, @PathVariable String appId,
                                 @RequestBody MiniProgramRequest request) {
        return miniPrograms.update(tenantId, appId, request);
    }

    @Operation(summary = "Delete a mini program (owner, master)")
    @DeleteMapping("/{appId}")
    Mono<ResponseEntity<Void>> delete(@PathVariable String tenantId, @PathVariable String appId) {
        return miniPrograms.delete(tenantId, appId)
                .thenReturn(ResponseEntity.noContent().build());
    }

    @Operation(summary = "Upload the logo: the raw bytes of a square PNG or JPEG, 16 to 1024 pixels a side, of at most 256 KB (judged by content, not name)")
    @PutMapping(path = "/{appId}/logo", consumes = MediaType.ALL_VALUE)
    Mono<MiniProgramView> putLogo(@PathVariable String tenantId, @PathVariable String appId, ServerHttpRequest request) {
        long declared = request.getHeaders().getContentLength();
        if (declared > Logo.MAX_BYTES) {
            return Mono.error(new LogoTooLargeException(declared));
        }
        // access first, then the body; of the body at most one byte more than allowed, so an undeclared
        // oversized body is still caught early
        return miniPrograms.checkLogoAllowed(tenantId, appId)
                .then(DataBufferUtils.join(request.getBody(), Logo.MAX_BYTES + 1))
                .onErrorMap(DataBufferLimitException.class, e -> new LogoTooLargeException(Logo.MAX_BYTES + 1L))
                .map(MiniProgramController::bytes)
                .defaultIfEmpty(new byte[0])
                .flatMap(bytes -> miniPrograms.putLogo(tenantId, appId, bytes));
    }

    @Operation(summary = "The logo bytes; immutable per hash, so cacheable with its ETag")
    @GetMapping("/{appId}/logo")
    Mono<ResponseEntity<byte[]>> getLogo(@PathVariable String tenantId, @PathVariable String appId) {
        return miniPrograms.getLogo(tenantId, appId)
                .map(MiniProgramController::logoResponse);
    }

    private static ResponseEntity<byte[]> logoResponse(StoredLogo logo) {
        return ResponseEntity.ok()
                .contentType(MediaType.parseMediaType(logo.contentType()))
                .eTag(logo.sha256())
                .cacheControl(CacheControl.noCache().cachePrivate())
                .body(logo.bytes());
    }

    private static byte[] bytes(DataBuffer buffer) {
        try {
            byte[] bytes = new byte[buffer.readableByteCount()];
            buffer.read(bytes);
            return bytes;
        } finally {
            DataBufferUtils.release(buffer);
        }
    }
}
