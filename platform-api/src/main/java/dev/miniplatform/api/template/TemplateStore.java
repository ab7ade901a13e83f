package dev.miniplatform.api.template;

import dev.miniplatform.infra.database.RecordRows;
import dev.miniplatform.model.release.SemanticVersion;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Instant;
import java.util.UUID;

/**
 * The SQL of templates and their versions, in one place. Every statement runs in the caller's transaction, in the
 * ISV's tenant (row-level security keeps it there).
 */
@Component
class TemplateStore {

    private static final String VERSION_COLUMNS = """
            template_id, version, description, sha256, size, ext_schema, state, review_id, reason, uploaded_by, created_at""";

    private static final RecordRows<TemplateView> TEMPLATE = RecordRows.of(TemplateView.class);
    private static final RecordRows<TemplateVersionView> VERSION = RecordRows.of(TemplateVersionView.class);
    private static final RecordRows<SemanticVersion> SEMANTIC_VERSION = RecordRows.of(SemanticVersion.class);

    private final DatabaseClient database;

    TemplateStore(DatabaseClient database) {
        this.database = database;
    }

    Mono<Void> insert(UUID tenantId, UUID id, TemplateRequest request, String createdBy, Instant now) {
        return database.sql("""
                        insert into templates (tenant_id, id, name, description, industry, created_by, created_at, updated_at)
                        values ($1, $2, $3, $4, $5, $6, $7, $7)""")
                .bind(0, tenantId)
                .bind(1, id)
                .bind(2, request.name().strip())
                .bind(3, request.description().strip())
                .bind(4, request.industry())
                .bind(5, createdBy)
                .bind(6, now)
                .then();
    }

    Mono<TemplateView> find(UUID id) {
        return oneTemplate(id, "");
    }

    /** The template, locked until the transaction ends: versions of one template are added one at a time. */
    Mono<TemplateView> lock(UUID id) {
        return oneTemplate(id, " for update");
    }

    private Mono<TemplateView> oneTemplate(UUID id, String lock) {
        return database.sql("select id, name, description, industry, created_by, created_at from templates where id = $1"
                        + lock)
                .bind(0, id)
                .map(TEMPLATE)
                .one();
    }

    Flux<TemplateView> page(int limit, long offset) {
        return database.sql("""
                        select id, name, description, industry, created_by, created_at from templates
                        order by created_at, id limit $1 offset $2""")
                .bind(0, limit)
                .bind(1, offset)
                .map(TEMPLATE)
                .all();
    }

    Mono<Long> count() {
        return database.sql("select count(*) as n from templates")
                .mapValue(Long.class)
                .one();
    }

    Mono<SemanticVersion> latestVersion(UUID templateId) {
        return database.sql("""
                        select major, minor, patch from template_versions where template_id = $1
                        order by major desc, minor desc, patch desc limit 1""")
                .bind(0, templateId)
                .map(SEMANTIC_VERSION)
                .one();
    }

    Mono<Void> insertVersion(UUID tenantId, UUID templateId, SemanticVersion version, String description, String sha256,
                             long size, String extSchema, String uploadedBy, Instant now) {
        return database.sql("""
                        insert into template_versions (tenant_id, template_id, version, major, minor, patch, description,
                            sha256, size, ext_schema, state, uploaded_by, created_at, updated_at)
                        values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'CREATED', $11, $12, $12)""")
                .bind(0, tenantId)
                .bind(1, templateId)
                .bind(2, version.toString())
                .bind(3, version.major())
                .bind(4, version.minor())
                .bind(5, version.patch())
                .bind(6, description)
                .bind(7, sha256)
                .bind(8, size)
                .bind(9, extSchema)
                .bind(10, uploadedBy)
                .bind(11, now)
                .then();
    }

    Mono<TemplateVersionView> version(UUID templateId, String version) {
        return oneVersion(templateId, version, "");
    }

    /** The version, locked until the transaction ends (a submission and a decision cannot interleave). */
    Mono<TemplateVersionView> lockVersion(UUID templateId, String version) {
        return oneVersion(templateId, version, " for update");
    }

    private Mono<TemplateVersionView> oneVersion(UUID templateId, String version, String lock) {
        return database.sql("select " + VERSION_COLUMNS + " from template_versions where template_id = $1 and version = $2"
                        + lock)
                .bind(0, templateId)
                .bind(1, version)
                .map(VERSION)
                .one();
    }

    Flux<TemplateVersionView> versions(UUID templateId) {
        return database.sql("select " + VERSION_COLUMNS + """
                         from template_versions where template_id = $1
                        order by major desc, minor desc, patch desc""")
                .bind(0, templateId)
                .map(VERSION)
                .all();
    }

    Mono<Void> submitted(UUID templateId, String version, UUID reviewId, Instant now) {
        return database.sql("""
                        update template_versions set state = 'UNDER_REVIEW', review_id = $1, reason = null, updated_at = $2
                        where template_id = $3 and version = $4""")
                .bind(0, reviewId)
                .bind(1, now)
                .bind(2, templateId)
                .bind(3, version)
                .then();
    }
}
