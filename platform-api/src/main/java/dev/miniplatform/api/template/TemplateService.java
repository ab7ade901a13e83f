package dev.miniplatform.api.template;

import dev.miniplatform.api.access.Access;
import dev.miniplatform.api.access.TenantScope;
import dev.miniplatform.api.audit.AuditLog;
import dev.miniplatform.api.industry.SelectableIndustries;
import dev.miniplatform.api.paging.Page;
import dev.miniplatform.api.paging.PageParams;
import dev.miniplatform.api.release.CodePackageStore;
import dev.miniplatform.api.release.CodePackages;
import dev.miniplatform.api.sample.Sample;
import dev.miniplatform.api.sample.SampleGallery;
import dev.miniplatform.api.workspace.Quotas;
import dev.miniplatform.model.release.Review;
import dev.miniplatform.model.release.ReviewRepository;
import dev.miniplatform.model.release.ReviewStatus;
import dev.miniplatform.model.release.SemanticVersion;
import dev.miniplatform.model.template.CheckBudget;
import dev.miniplatform.model.template.ExtConfigSchema;
import dev.miniplatform.model.template.TemplateVersionState;
import dev.miniplatform.model.tenancy.TenantKind;
import dev.miniplatform.model.text.SafeText;
import dev.miniplatform.model.validation.ConflictException;
import dev.miniplatform.model.validation.FieldError;
import dev.miniplatform.model.validation.InvalidInputException;
import dev.miniplatform.model.validation.NotFoundException;
import dev.miniplatform.model.validation.Validation;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.JsonNode;

import java.text.Normalizer;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

/**
 * Templates of an ISV workspace and their versions: created by its owner or masters (console users), each version a
 * code package with the JSON Schema of the per-merchant ext config, reviewed once in the platform's review queue.
 */
@Service
class TemplateService {

    static final String EXT_SCHEMA = "extSchema";
    private static final String TARGET = "template";

    private final TenantScope scope;
    private final TemplateStore store;
    private final SelectableIndustries industries;
    private final CodePackageStore packages;
    private final ReviewRepository reviews;
    private final AuditLog audit;
    private final Quotas quotas;
    private final TemplateProperties properties;
    private final SampleGallery samples;
    private final Clock clock;

    TemplateService(TenantScope scope, TemplateStore store, SelectableIndustries industries, CodePackageStore packages,
                    ReviewRepository reviews, AuditLog audit, Quotas quotas, TemplateProperties properties,
                    SampleGallery samples, Clock clock) {
        this.samples = samples;
        this.scope = scope;
        this.store = store;
        this.industries = industries;
        this.packages = packages;
        this.reviews = reviews;
        this.audit = audit;
        this.quotas = quotas;
        this.properties = properties;
        this.clock = clock;
    }

    /**
     * The one way into templates and batch jobs: an owner or master of an ISV workspace, as a person (ISV application
     * tokens and other workspaces' members get 404; a merchant workspace has no templates: 404 too).
     */
    <T> Mono<T> asIsvManager(String isvId, Function<Access, Mono<T>> work) {
        return scope.run(isvId, access -> access.tenant().kind() != TenantKind.ISV
                ? Mono.error(new NotFoundException("Tenant"))
                : work.apply(access.requireManager()));
    }

    Mono<TemplateCreated> create(String isvId, TemplateRequest request) {
        return asIsvManager(isvId, access -> validated(request)
                .flatMap(valid -> valid.fromSample() == null ? insert(access, valid).map(created -> new TemplateCreated(created, null))
                        : samples.find(valid.fromSample().id(), valid.fromSample().version())
                        .flatMap(sample -> insert(access, valid)
                                .flatMap(created -> firstVersionFrom(access, created, sample)))));
    }

    private Mono<TemplateView> insert(Access access, TemplateRequest valid) {
        UUID id = UUID.randomUUID();
        Instant now = clock.instant();
        return store.insert(access.tenantId(), id, valid, access.actingUserId(), now)
                .then(store.find(id))
                .flatMap(created -> audit.record(access.tenantId(), access.actor(), "template.created", TARGET,
                        id.toString(), null, Map.of("name", created.name(), "industry", created.industry()))
                        .thenReturn(created));
    }

    /**
     * The sample's package and schema as the template's first version, in the transaction that created the template:
     * stored, counted against the storage quota and audited as an upload is. The package is in memory (the gallery
     * zipped and checked it at start-up), so no network call happens in the transaction.
     */
    private Mono<TemplateCreated> firstVersionFrom(Access access, TemplateView created, Sample sample) {
        String description = "From the platform's sample " + sample.reference();
        return packages.store(access.tenantId(), sample.sha256(), sample.zip())
                .then(store.insertVersion(access.tenantId(), created.id(), sample.version(), description, sample.sha256(),
                        sample.size(), sample.extSchema().text(), access.actingUserId(), clock.instant()))
                .then(audit.record(access.tenantId(), access.actor(), "template-version.uploaded", "template-version",
                        created.id() + "@" + sample.version(), null, Map.of("version", sample.version().toString(),
                                "sha256", sample.sha256(), "size", sample.size(), "sample", sample.reference())))
                .then(store.version(created.id(), sample.version().toString()))
                .map(first -> new TemplateCreated(created, first));
    }


    Mono<Page<TemplateView>> list(String isvId, PageParams params) {
        return asIsvManager(isvId, access -> store.page(params.size(), (long) params.page() * params.size())
                .collectList()
                .zipWith(store.count())
                .map(found -> Page.of(found.getT1(), params, found.getT2())));
    }

    Mono<TemplateView> get(String isvId, String templateId) {
        return asIsvManager(isvId, access -> template(templateId));
    }

    /** Checked before the package is read (see {@code VersionService.checkUploadAllowed}); {@link #addVersion} checks again. */
    Mono<Void> checkUploadAllowed(String isvId, String templateId) {
        return asIsvManager(isvId, access -> template(templateId)
                .then(quotas.requireStorageRoom(access.tenantId())));
    }

    Mono<TemplateVersionView> addVersion(String isvId, String templateId, CodePackages.Received received) {
        SemanticVersion version = SemanticVersion.parse("version", received.upload().version());
        String description = Normalizer.normalize(received.upload().description().strip(), Normalizer.Form.NFC);
        // checking a schema against the meta-schema reads the validator's resources on first use: off the event loop
        return Mono.fromCallable(() -> ExtConfigSchema.parse(EXT_SCHEMA, received.extra().get(EXT_SCHEMA)))
                .subscribeOn(Schedulers.boundedElastic())
                .flatMap(schema -> storeVersion(isvId, templateId, received, version, description, schema));
    }

    private Mono<TemplateVersionView> storeVersion(String isvId, String templateId, CodePackages.Received received,
                                                   SemanticVersion version, String description, ExtConfigSchema schema) {
        return asIsvManager(isvId, access -> id(templateId)
                .flatMap(id -> store.lock(id)
                        .switchIfEmpty(Mono.error(() -> new NotFoundException("Template")))
                        .then(requireHigher(id, version))
                        .then(packages.store(access.tenantId(), received.sha256(), received.size(), received::content))
                        .then(store.insertVersion(access.tenantId(), id, version, description, received.sha256(),
                                received.size(), schema.text(), access.actingUserId(), clock.instant()))
                        .then(store.version(id, version.toString()))
                        .flatMap(stored -> audit.record(access.tenantId(), access.actor(), "template-version.uploaded",
                                "template-version", id + "@" + version, null,
                                Map.of("version", stored.version(), "sha256", stored.sha256(), "size", stored.size()))
                                .thenReturn(stored))));
    }

    Mono<List<TemplateVersionView>> versions(String isvId, String templateId) {
        return asIsvManager(isvId, access -> id(templateId)
                .flatMap(id -> template(templateId).thenMany(store.versions(id)).collectList()));
    }

    Mono<TemplateVersionView> version(String isvId, String templateId, String version) {
        return asIsvManager(isvId, access -> existingVersion(templateId, version));
    }

    /** Into the review queue, once for every merchant; a rejected version may be submitted again. */
    Mono<TemplateVersionView> submit(String isvId, String templateId, String version) {
        return asIsvManager(isvId, access -> id(templateId)
                .flatMap(id -> store.lockVersion(id, version)
                        .switchIfEmpty(Mono.error(() -> new NotFoundException("Template version")))
                        .flatMap(current -> current.state().submittable() ? Mono.just(current)
                                : Mono.error(new ConflictException("The template version is %s; only CREATED or REJECTED versions can be submitted."
                                .formatted(current.state()), current.state().name(), List.of())))
                        .flatMap(current -> openReview(access, id, current))));
    }

    /**
     * Checks one merchant's ext config against the version's schema: 200 if valid, else 400 with every failure. The
     * stored schema is parsed again, so one stored before a bound existed is refused (400 on extSchema) before it
     * checks anything; the check itself stops at {@code platform.templates.check-budget}.
     */
    Mono<Map<String, Object>> checkExtConfig(String isvId, String templateId, String version, JsonNode config) {
        return asIsvManager(isvId, access -> existingVersion(templateId, version))
                .publishOn(Schedulers.boundedElastic())
                .map(found -> {
                    List<FieldError> errors = ExtConfigSchema.parse(EXT_SCHEMA, found.extSchema())
                            .check("extConfig", config, CheckBudget.of(properties.checkBudget()));
                    if (!errors.isEmpty()) {
                        throw new InvalidInputException(errors);
                    }
                    return Map.<String, Object>of("valid", true);
                });
    }

    private Mono<TemplateVersionView> openReview(Access access, UUID templateId, TemplateVersionView current) {
        Instant now = clock.instant();
        Review review = new Review(access.tenantId(), UUID.randomUUID(), null, null, current.version(), null, null,
                ReviewStatus.PENDING, null, access.actor(), null, now, null, templateId, null);
        return reviews.save(review)
                .flatMap(saved -> store.submitted(templateId, current.version(), saved.id(), now))
                .then(audit.record(access.tenantId(), access.actor(), "template-version.submitted", "template-version",
                        templateId + "@" + current.version(), Map.of("state", current.state().name()),
                        Map.of("state", TemplateVersionState.UNDER_REVIEW.name())))
                .then(store.version(templateId, current.version()));
    }

    private Mono<TemplateVersionView> existingVersion(String templateId, String version) {
        return id(templateId)
                .flatMap(id -> store.version(id, version))
                .switchIfEmpty(Mono.error(() -> new NotFoundException("Template version")));
    }

    private Mono<TemplateView> template(String templateId) {
        return id(templateId)
                .flatMap(store::find)
                .switchIfEmpty(Mono.error(() -> new NotFoundException("Template")));
    }

    private static Mono<UUID> id(String raw) {
        return Mono.justOrEmpty(TenantScope.parse(raw))
                .switchIfEmpty(Mono.error(() -> new NotFoundException("Template")));
    }

    private Mono<Void> requireHigher(UUID templateId, SemanticVersion version) {
        return store.latestVersion(templateId)
                .filter(latest -> latest.compareTo(version) >= 0)
                .flatMap(latest -> Mono.error(new ConflictException(
                        "Template versions only go up: the latest is %s, so %s is not accepted.".formatted(latest, version))));
    }

    private Mono<TemplateRequest> validated(TemplateRequest request) {
        Validation validation = new Validation();
        if (request == null) {
            throw InvalidInputException.of("body", "required", "give name, description and industry");
        }
        text(validation, "name", request.name(), 2, 60);
        text(validation, "description", request.description(), 10, 2000);
        if (request.fromSample() != null) {
            if (request.fromSample().id() == null || request.fromSample().id().isBlank()) {
                validation.reject("fromSample.id", "required", "a sample id from GET /api/v1/samples");
            }
            if (request.fromSample().version() == null || request.fromSample().version().isBlank()) {
                validation.reject("fromSample.version", "required", "a version of that sample from GET /api/v1/samples");
            }
        }
        if (request.industry() == null || request.industry().isBlank()) {
            validation.reject("industry", "required", "choose an industry from GET /api/v1/industries");
            validation.throwIfInvalid();
        }
        return industries.check("industry", request.industry(), validation)
                .thenReturn(request);
    }

    private static void text(Validation validation, String field, String value, int min, int max) {
        if (value == null || value.isBlank()) {
            validation.reject(field, "required", "give the template's " + field);
        } else if (value.strip().length() < min || value.strip().length() > max) {
            validation.reject(field, "length", "%d to %d characters".formatted(min, max));
        } else {
            validation.attempt(() -> SafeText.check(field, value.strip(), c -> c == '\n'));
        }
    }
}
