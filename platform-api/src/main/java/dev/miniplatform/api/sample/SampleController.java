package dev.miniplatform.api.sample;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.CacheControl;
import org.springframework.http.ContentDisposition;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

import java.net.URI;
import java.util.List;

@Tag(name = "Sample gallery", description = "The platform's sample mini programs: list, download, start a mini program from one")
@RestController
class SampleController {

    private final SampleGallery gallery;
    private final SampleStarts starts;

    SampleController(SampleGallery gallery, SampleStarts starts) {
        this.gallery = gallery;
        this.starts = starts;
    }

    static String packagePath(Sample sample) {
        return "/api/v1/samples/%s/versions/%s/package".formatted(sample.id(), sample.version());
    }

    @Operation(summary = "The sample gallery (anyone signed in): every version of every sample, with its texts in "
            + "en-US and zh-CN, pages, ext config schema and defaults, and the package's SHA-256 and size")
    @GetMapping("/api/v1/samples")
    List<SampleView> list() {
        return gallery.all().stream()
                .map(SampleView::of)
                .toList();
    }

    @Operation(summary = "Download a sample version's code package (a zip; the same bytes on every node, its SHA-256 is the ETag)")
    @GetMapping("/api/v1/samples/{id}/versions/{version}/package")
    Mono<ResponseEntity<byte[]>> download(@PathVariable String id, @PathVariable String version) {
        return gallery.find(id, version)
                .map(sample -> ResponseEntity.ok()
                        .contentType(MediaType.parseMediaType("application/zip"))
                        .eTag(sample.sha256())
                        .cacheControl(CacheControl.noCache().cachePrivate())
                        .header("Content-Disposition", ContentDisposition.attachment()
                                .filename("%s-%s.zip".formatted(sample.id(), sample.version())).build().toString())
                        .body(sample.zip()));
    }

    @Operation(summary = "Start a mini program from a sample (owner, master, or an ISV with miniprogram:write): the "
            + "create body plus sample {id, version} and an optional extConfig (default: the sample's defaults); "
            + "creates the mini program and its first version, the sample's package, in one transaction")
    @PostMapping("/api/v1/tenants/{tenantId}/mini-programs:fromSample")
    Mono<ResponseEntity<StartedView>> start(@PathVariable String tenantId,
                                            @RequestBody(required = false) StartRequest request) {
        return starts.start(tenantId, request)
                .map(started -> ResponseEntity.created(URI.create("/api/v1/tenants/%s/mini-programs/%s"
                        .formatted(tenantId, started.miniProgram().appId()))).body(started));
    }
}
