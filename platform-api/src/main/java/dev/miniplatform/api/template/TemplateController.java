package dev.miniplatform.api.template;

import dev.miniplatform.api.paging.Page;
import dev.miniplatform.api.paging.PageParams;
import dev.miniplatform.api.release.CodePackages;
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
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;

@Tag(name = "Templates", description = "An ISV's mini program templates: versions with an ext config schema, reviewed once")
@RestController
@RequestMapping("/api/v1/tenants/{isvId}/templates")
class TemplateController {

    private final TemplateService templates;
    private final CodePackages packages;

    TemplateController(TemplateService templates, CodePackages packages) {
        this.templates = templates;
        this.packages = packages;
    }

    @Operation(summary = "Create a template (ISV owner or master): name, description, industry")
    @PostMapping
    Mono<ResponseEntity<TemplateView>> create(@PathVariable String isvId, @RequestBody(required = false) TemplateRequest request) {
        return templates.create(isvId, request)
                .map(created -> ResponseEntity.created(URI.create("/api/v1/tenants/%s/templates/%s"
                        .formatted(isvId, created.id()))).body(created));
    }

    @Operation(summary = "The ISV's templates, oldest first (paged)")
    @GetMapping
    Mono<Page<TemplateView>> list(@PathVariable String isvId, @RequestParam(required = false) Integer page,
                                  @RequestParam(required = false) Integer size) {
        return templates.list(isvId, PageParams.of(page, size));
    }

    @Operation(summary = "One template with its versions")
    @GetMapping("/{templateId}")
    Mono<TemplateView> get(@PathVariable String isvId, @PathVariable String templateId) {
        return templates.get(isvId, templateId);
    }

    @Operation(summary = "Upload a template version: multipart version=x.y.z, description, package=<zip with app.json>, "
            + "extSchema=<JSON Schema 2020-12 of the per-merchant ext config>")
    @PostMapping(path = "/{templateId}/versions", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    Mono<ResponseEntity<TemplateVersionView>> upload(@PathVariable String isvId, @PathVariable String templateId,
                                                     ServerHttpRequest request) {
        // access first, then the body (as for mini program versions)
        return Mono.fromRunnable(() -> packages.checkDeclaredLength(request))
                .then(templates.checkUploadAllowed(isvId, templateId))
                .then(packages.receive(request, Set.of(TemplateService.EXT_SCHEMA),
                        received -> templates.addVersion(isvId, templateId, received)))
                .map(created -> ResponseEntity.created(URI.create("/api/v1/tenants/%s/templates/%s/versions/%s"
                        .formatted(isvId, templateId, created.version()))).body(created));
    }

    @Operation(summary = "The template's versions, highest first")
    @GetMapping("/{templateId}/versions")
    Mono<List<TemplateVersionView>> versions(@PathVariable String isvId, @PathVariable String templateId) {
        return templates.versions(isvId, templateId);
    }

    @Operation(summary = "One template version with its ext config schema")
    @GetMapping("/{templateId}/versions/{version}")
    Mono<TemplateVersionView> version(@PathVariable String isvId, @PathVariable String templateId,
                                      @PathVariable String version) {
        return templates.version(isvId, templateId, version);
    }

    @Operation(summary = "Submit the version for review, once for every merchant (the platform's review queue)")
    @PostMapping("/{templateId}/versions/{version}/submit")
    Mono<ResponseEntity<TemplateVersionView>> submit(@PathVariable String isvId, @PathVariable String templateId,
                                                     @PathVariable String version) {
        return templates.submit(isvId, templateId, version)
                .map(submitted -> ResponseEntity.status(HttpStatus.ACCEPTED).body(submitted));
    }

    @Operation(summary = "Check one merchant's ext config against the version's schema: 200, or 400 listing the "
            + "JSON pointer of every failing value (fields extConfig/…)")
    @PostMapping("/{templateId}/versions/{version}/ext-config-check")
    Mono<Map<String, Object>> checkExtConfig(@PathVariable String isvId, @PathVariable String templateId,
                                             @PathVariable String version, @RequestBody JsonNode extConfig) {
        return templates.checkExtConfig(isvId, templateId, version, extConfig);
    }
}
