package dev.miniplatform.api.sample;

import dev.miniplatform.api.access.Access;
import dev.miniplatform.api.access.TenantScope;
import dev.miniplatform.api.miniprogram.MiniProgramService;
import dev.miniplatform.api.release.VersionService;
import dev.miniplatform.model.isv.DelegationScope;
import dev.miniplatform.model.validation.FieldError;
import dev.miniplatform.model.validation.InvalidInputException;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.util.ArrayList;
import java.util.List;

/**
 * A merchant starts a mini program from a sample: the mini program is created and the sample's package becomes its
 * first version, in ONE transaction in the merchant's tenant, so a failure of any step (the cap, the storage quota,
 * a field) leaves nothing behind. The package is in memory already (the gallery zipped it at start-up) and the code
 * package store writes inside the transaction (PostgreSQL), so nothing waits on the network while it is open.
 * Same rules as create plus upload: owners, masters, or an ISV under an ACTIVE authorization granting
 * {@code miniprogram:write}; developers may not create mini programs (403).
 */
@Service
class SampleStarts {

    static final String EXT_CONFIG = "extConfig";

    private final TenantScope scope;
    private final SampleGallery gallery;
    private final MiniProgramService miniPrograms;
    private final VersionService versions;
    private final JsonMapper json;

    SampleStarts(TenantScope scope, SampleGallery gallery, MiniProgramService miniPrograms, VersionService versions,
                 JsonMapper json) {
        this.scope = scope;
        this.gallery = gallery;
        this.miniPrograms = miniPrograms;
        this.versions = versions;
        this.json = json;
    }

    Mono<StartedView> start(String tenantId, StartRequest request) {
        return scope.run(tenantId, DelegationScope.MINIPROGRAM_WRITE, access -> shaped(access.requireManager(), request)
                .flatMap(valid -> gallery.find(valid.sample().id(), valid.sample().version()))
                .flatMap(sample -> extConfig(sample, request.extConfig())
                        .flatMap(extConfig -> build(access, request, sample, extConfig))));
    }

    /** Every field error the body alone shows, in one 400: the sample reference and the mini program's fields. */
    private static Mono<StartRequest> shaped(Access access, StartRequest request) {
        if (request == null) {
            return Mono.error(InvalidInputException.of("body", "required",
                    "give the sample ({\"id\", \"version\"}) and the mini program's basic information as on create"));
        }
        List<FieldError> errors = new ArrayList<>();
        if (request.sample() == null) {
            errors.add(new FieldError("sample", "required", "name the sample: {\"id\": \"menu-shop\", \"version\": \"1.0.0\"}"));
        } else {
            if (blank(request.sample().id())) {
                errors.add(new FieldError("sample.id", "required", "a sample id from GET /api/v1/samples"));
            }
            if (blank(request.sample().version())) {
                errors.add(new FieldError("sample.version", "required", "a version of that sample from GET /api/v1/samples"));
            }
        }
        errors.addAll(MiniProgramService.shapeErrors("", request.miniProgram()));
        return errors.isEmpty() ? Mono.just(request) : Mono.error(new InvalidInputException(errors));
    }

    /** The caller's ext config checked against the sample's schema (off the event loop), or the sample's defaults. */
    private Mono<String> extConfig(Sample sample, JsonNode given) {
        if (given == null || given.isNull() || given.isMissingNode()) {
            return Mono.just(sample.extDefaults());
        }
        return Mono.fromCallable(() -> sample.extSchema().check(EXT_CONFIG, given))
                .subscribeOn(Schedulers.boundedElastic())
                .flatMap(errors -> errors.isEmpty() ? Mono.just(json.writeValueAsString(given))
                        : Mono.error(new InvalidInputException(errors)));
    }

    private Mono<StartedView> build(Access access, StartRequest request, Sample sample, String extConfig) {
        String description = "Started from the platform's sample " + sample.reference();
        return miniPrograms.createInTransaction(access, request.miniProgram())
                .flatMap(created -> versions.storeFromSample(access, created.appId(), sample.version(), description,
                                sample.sha256(), sample.zip(), extConfig, sample.reference())
                        .thenReturn(new StartedView(created, new StartedView.FirstVersion(sample.version().toString(),
                                sample.sha256(), sample.size(), extConfig),
                                new StartRequest.SampleRef(sample.id(), sample.version().toString()))));
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
