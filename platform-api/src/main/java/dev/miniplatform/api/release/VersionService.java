package dev.miniplatform.api.release;

import dev.miniplatform.model.isv.DelegationScope;
import dev.miniplatform.api.access.Access;
import dev.miniplatform.api.access.KeyAction;
import dev.miniplatform.api.access.TenantScope;
import dev.miniplatform.api.audit.AuditLog;
import dev.miniplatform.api.miniprogram.MiniProgramLookup;
import dev.miniplatform.api.workspace.Quotas;
import dev.miniplatform.infra.database.Constraints;
import dev.miniplatform.model.release.MiniProgramVersion;
import dev.miniplatform.model.release.MiniProgramVersionRepository;
import dev.miniplatform.model.release.SemanticVersion;
import dev.miniplatform.model.text.SafeText;
import dev.miniplatform.model.validation.ConflictException;
import dev.miniplatform.model.validation.NotFoundException;
import dev.miniplatform.model.validation.Validation;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.Parameter;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;


import java.text.Normalizer;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Code package uploads as versions of a mini program. Versions only go up, and at most
 * {@code platform.release.max-waiting-versions} may wait unsubmitted per mini program.
 */
@Service
public class VersionService {

    /** The V5 trigger that refuses a version not higher than every stored one. */
    static final String VERSIONS_ONLY_GO_UP = "mini_program_versions_only_up";

    private final TenantScope scope;
    private final MiniProgramLookup lookup;
    private final MiniProgramVersionRepository versions;
    private final DatabaseClient database;
    private final CodePackageStore packages;
    private final AuditLog audit;
    private final ReleaseProperties properties;
    private final Quotas quotas;
    private final Clock clock;

    VersionService(TenantScope scope, MiniProgramLookup lookup, MiniProgramVersionRepository versions,
                   DatabaseClient database, CodePackageStore packages, AuditLog audit, ReleaseProperties properties,
                   Quotas quotas, Clock clock) {
        this.scope = scope;
        this.lookup = lookup;
        this.versions = versions;
        this.database = database;
        this.packages = packages;
        this.audit = audit;
        this.properties = properties;
        this.quotas = quotas;
        this.clock = clock;
    }

    public record Upload(String version, String description) {
    }

    public static SemanticVersion validate(Upload upload) {
        Validation validation = new Validation();
        SemanticVersion version = validation.attempt(() -> SemanticVersion.parse("version", upload.version()));
        if (upload.description() == null || upload.description().isBlank()) {
            validation.reject("description", "required", "describe what changed in this version");
        } else if (upload.description().length() > 2000) {
            validation.reject("description", "length", "at most 2000 characters");
        } else {
            validation.attempt(() -> SafeText.check("description", upload.description().strip(), c -> c == '\n'));
        }
        validation.throwIfInvalid();
        return version;
    }

    /**
     * Checked before a byte of the upload is read, in a transaction of its own that ends before the (possibly
     * slow) body arrives: nobody without access can make the platform read a package, a workspace whose storage
     * quota is used up is refused at once, and a slow client holds no database connection. {@link #upload} checks
     * again, since membership and usage may change while the body arrives.
     */
    Mono<Void> checkUploadAllowed(String tenantId, String appId) {
        return scope.run(tenantId, DelegationScope.MINIPROGRAM_WRITE, KeyAction.UPLOAD, access -> lookup.visible(access, appId)
                .then(quotas.requireStorageRoom(access.tenantId())));
    }

    Mono<VersionView> upload(String tenantId, String appId, CodePackages.Received received) {
        SemanticVersion version = validate(received.upload());
        return scope.run(tenantId, DelegationScope.MINIPROGRAM_WRITE, KeyAction.UPLOAD, access -> lookup.visible(access, appId).then()
                .then(lockVersionsOf(appId))
                .then(requireHigher(appId, version))
                .then(requireRoomToWait(appId))
                .then(store(access, appId, version, received.upload().description(), received)))
                .onErrorMap(failure -> Constraints.violated(failure, VERSIONS_ONLY_GO_UP),
                        failure -> new ConflictException("Versions only go up: a version as high as %s was uploaded at the same moment."
                                .formatted(version)));
    }

    /**
     * Uploads of one mini program take turns from here to commit, so "versions only go up" and the waiting limit
     * are checked against every committed upload. The V5 trigger takes the same lock and re-checks the order, so
     * the rule also holds for any other path that inserts a version.
     */
    private Mono<Void> lockVersionsOf(String appId) {
        return database.sql("select app_id from mini_programs where app_id = $1 for update")
                .bind(0, appId)
                .fetch()
                .all()
                .then();
    }

    public Mono<List<VersionView>> list(String tenantId, String appId) {
        return scope.run(tenantId, DelegationScope.MINIPROGRAM_READ, access -> lookup.visible(access, appId).then()
                .thenMany(versions.findByAppIdOrderByMajorDescMinorDescPatchDesc(appId))
                .map(VersionView::of)
                .collectList());
    }


    private Mono<Void> requireHigher(String appId, SemanticVersion version) {
        return versions.findFirstByAppIdOrderByMajorDescMinorDescPatchDesc(appId)
                .filter(latest -> latest.semantic().compareTo(version) >= 0)
                .flatMap(latest -> Mono.error(new ConflictException(
                        "Versions only go up: the latest is %s, so %s is not accepted.".formatted(latest.version(), version))));
    }

    private Mono<Void> requireRoomToWait(String appId) {
        return database.sql("""
                        select count(*) as waiting from mini_program_versions v
                        where v.app_id = $1
                          and not exists (select 1 from releases r where r.app_id = v.app_id and r.version = v.version)""")
                .bind(0, appId)
                .map(row -> row.get("waiting", Long.class))
                .one()
                .filter(waiting -> waiting >= properties.maxWaitingVersions())
                .flatMap(waiting -> Mono.error(new ConflictException(
                        "%d versions already wait to be submitted; submit or release one first.".formatted(waiting))));
    }

    /**
     * A merchant's version built from a template version (the code package of the template, the merchant's ext
     * config), inside the caller's transaction in the merchant's tenant. Same rules as an upload: versions only go
     * up, and the waiting limit holds.
     *
     * @param template where it came from, recorded on the version so a submission can skip the per-merchant review
     */
    public Mono<VersionView> storeFromTemplate(Access access, String appId, SemanticVersion version, String description,
                                               String sha256, byte[] bytes, TemplateSource template) {
        return storeBuilt(access, appId, version, description, sha256, bytes, template, template.extConfig(),
                Map.of("template", template.templateId() + "@" + template.version()));
    }

    /**
     * A mini program's version built from a sample of the platform's gallery (its package, and the ext config the
     * merchant chose or the sample's defaults), inside the caller's transaction. No template is recorded, so the
     * version is reviewed like any upload; wallets get the ext config as they do a template instance's.
     *
     * @param sample {@code <id>@<version>} of the sample, for the audit entry
     */
    public Mono<VersionView> storeFromSample(Access access, String appId, SemanticVersion version, String description,
                                             String sha256, byte[] bytes, String extConfig, String sample) {
        return storeBuilt(access, appId, version, description, sha256, bytes, null, extConfig, Map.of("sample", sample));
    }

    private Mono<VersionView> storeBuilt(Access access, String appId, SemanticVersion version, String description,
                                         String sha256, byte[] bytes, TemplateSource template, String extConfig,
                                         Map<String, Object> origin) {
        Instant now = clock.instant();
        Map<String, Object> detail = new HashMap<>(origin);
        detail.putAll(Map.of("version", version.toString(), "sha256", sha256, "size", bytes.length));
        return lockVersionsOf(appId)
                .then(requireHigher(appId, version))
                .then(requireRoomToWait(appId))
                .then(packages.store(access.tenantId(), sha256, bytes))
                .then(database.sql("""
                                insert into mini_program_versions (tenant_id, id, app_id, version, major, minor, patch,
                                    description, sha256, size, uploaded_by, created_at,
                                    template_isv, template_id, template_version, ext_config)
                                values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)""")
                        .bind(0, access.tenantId())
                        .bind(1, UUID.randomUUID())
                        .bind(2, appId)
                        .bind(3, version.toString())
                        .bind(4, version.major())
                        .bind(5, version.minor())
                        .bind(6, version.patch())
                        .bind(7, description)
                        .bind(8, sha256)
                        .bind(9, (long) bytes.length)
                        .bind(10, access.actingUserId())
                        .bind(11, now)
                        .bind(12, Parameter.fromOrEmpty(template == null ? null : template.isvTenantId(), UUID.class))
                        .bind(13, Parameter.fromOrEmpty(template == null ? null : template.templateId(), UUID.class))
                        .bind(14, Parameter.fromOrEmpty(template == null ? null : template.version(), String.class))
                        .bind(15, Parameter.fromOrEmpty(extConfig, String.class))
                        .then())
                .then(audit.record(access.tenantId(), access.actor(), "version.uploaded", "version",
                        appId + "@" + version, null, Map.copyOf(detail)))
                .thenReturn(new VersionView(version.toString(), description, sha256, bytes.length, access.actingUserId(), now))
                .onErrorMap(failure -> Constraints.violated(failure, VERSIONS_ONLY_GO_UP),
                        failure -> new ConflictException("Versions only go up: a version as high as %s was uploaded at the same moment."
                                .formatted(version)));
    }

    /** The template version a merchant's version was built from, and the merchant's ext config (JSON). */
    public record TemplateSource(UUID isvTenantId, UUID templateId, String version, String extConfig) {
    }

    private Mono<VersionView> store(Access access, String appId, SemanticVersion version, String description,
                                    CodePackages.Received received) {
        Instant now = clock.instant();
        MiniProgramVersion saved = new MiniProgramVersion(access.tenantId(), UUID.randomUUID(), appId, version.toString(),
                version.major(), version.minor(), version.patch(), Normalizer.normalize(description.strip(), Normalizer.Form.NFC),
                received.sha256(), received.size(),
                access.actingUserId(), now);
        return packages.store(access.tenantId(), received.sha256(), received.size(), received::content)
                .then(versions.save(saved))
                .flatMap(stored -> audit.record(access.tenantId(), access.actor(), "version.uploaded", "version",
                                appId + "@" + stored.version(), null,
                                Map.of("version", stored.version(), "sha256", stored.sha256(), "size", stored.size()))
                        .thenReturn(VersionView.of(stored)));
    }
}
