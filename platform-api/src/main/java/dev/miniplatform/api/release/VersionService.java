package dev.miniplatform.api.release;

import dev.miniplatform.api.access.Access;
import dev.miniplatform.api.access.TenantScope;
import dev.miniplatform.api.audit.AuditLog;
import dev.miniplatform.api.miniprogram.MiniProgramLookup;
import dev.miniplatform.model.release.MiniProgramVersion;
import dev.miniplatform.model.release.MiniProgramVersionRepository;
import dev.miniplatform.model.release.SemanticVersion;
import dev.miniplatform.model.validation.ConflictException;
import dev.miniplatform.model.validation.NotFoundException;
import dev.miniplatform.model.validation.Validation;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Code package uploads as versions of a mini program. Versions only go up, and at most
 * {@code platform.release.max-waiting-versions} may wait unsubmitted per mini program.
 */
@Service
public class VersionService {

    private final TenantScope scope;
    private final MiniProgramLookup lookup;
    private final MiniProgramVersionRepository versions;
    private final DatabaseClient database;
    private final CodePackageStore packages;
    private final AuditLog audit;
    private final ReleaseProperties properties;
    private final Clock clock;

    VersionService(TenantScope scope, MiniProgramLookup lookup, MiniProgramVersionRepository versions,
                   DatabaseClient database, CodePackageStore packages, AuditLog audit, ReleaseProperties properties,
                   Clock clock) {
        this.scope = scope;
        this.lookup = lookup;
        this.versions = versions;
        this.database = database;
        this.packages = packages;
        this.audit = audit;
        this.properties = properties;
        this.clock = clock;
    }

    record Upload(String version, String description) {
    }

    static SemanticVersion validate(Upload upload) {
        Validation validation = new Validation();
        SemanticVersion version = validation.attempt(() -> SemanticVersion.parse("version", upload.version()));
        if (upload.description() == null || upload.description().isBlank()) {
            validation.reject("description", "required", "describe what changed in this version");
        } else if (upload.description().length() > 2000) {
            validation.reject("description", "length", "at most 2000 characters");
        }
        validation.throwIfInvalid();
        return version;
    }

    /** Checked before a package is received, so nobody without access can make the platform read one. */
    public Mono<Void> checkUploadAllowed(String tenantId, String appId, Upload upload) {
        validate(upload);
        return scope.run(tenantId, access -> lookup.visible(access, appId).then());
    }

    public Mono<VersionView> upload(String tenantId, String appId, Upload upload, CodePackages.Checked checked) {
        SemanticVersion version = validate(upload);
        return scope.run(tenantId, access -> lookup.visible(access, appId).then()
                .then(requireHigher(appId, version))
                .then(requireRoomToWait(appId))
                .then(store(access, appId, version, upload.description(), checked)));
    }

    public Mono<List<VersionView>> list(String tenantId, String appId) {
        return scope.run(tenantId, access -> lookup.visible(access, appId).then()
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

    private Mono<VersionView> store(Access access, String appId, SemanticVersion version, String description,
                                    CodePackages.Checked checked) {
        Instant now = clock.instant();
        MiniProgramVersion saved = new MiniProgramVersion(access.tenantId(), UUID.randomUUID(), appId, version.toString(),
                version.major(), version.minor(), version.patch(), description.strip(), checked.sha256(), checked.size(),
                access.user().userId(), now);
        return packages.store(access.tenantId(), checked.sha256(), checked.bytes())
                .then(versions.save(saved))
                .flatMap(stored -> audit.record(access.tenantId(), access.actor(), "version.uploaded", "version",
                                appId + "@" + stored.version(), null,
                                Map.of("version", stored.version(), "sha256", stored.sha256(), "size", stored.size()))
                        .thenReturn(VersionView.of(stored)));
    }
}
