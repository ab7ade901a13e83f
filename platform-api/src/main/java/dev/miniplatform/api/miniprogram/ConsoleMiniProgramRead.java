package dev.miniplatform.api.miniprogram;

import dev.miniplatform.model.miniprogram.MiniProgram;
import dev.miniplatform.model.miniprogram.MiniProgramLocalization;
import dev.miniplatform.model.validation.NotFoundException;
import io.r2dbc.spi.Readable;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The console's read of one mini program as ONE statement (V11's {@code console_mini_program}): the caller's
 * access and the mini program with its texts in one round trip and no explicit transaction. Before this, the
 * same read took seven round trips (begin, settings, membership, tenant, mini program, texts, commit) and the
 * profile was dominated by them. Row-level security still applies: the function sets the tenant for its own
 * statement. Answers exactly as the regular path: 404 "Tenant" for a non-member, a blocked member or a closed
 * workspace, 404 "Mini program" for an unknown one or a developer's unassigned one.
 */
@Component
class ConsoleMiniProgramRead {

    private static final String READ = """
            select outcome, app_id, tenant_id, default_language, release_to, industry, service_phone, service_email,
                   logo_sha256, created_by, created_at, updated_at, version, language, name, tagline, description
            from console_mini_program($1, $2, $3)""";

    private record Row(String outcome, MiniProgram program, MiniProgramLocalization text) {
    }

    private final DatabaseClient database;

    ConsoleMiniProgramRead(DatabaseClient database) {
        this.database = database;
    }

    Mono<MiniProgramView> find(UUID tenantId, String userId, String appId) {
        return database.sql(READ)
                .bind(0, tenantId)
                .bind(1, userId)
                .bind(2, appId)
                .map(ConsoleMiniProgramRead::row)
                .all()
                .collectList()
                .map(ConsoleMiniProgramRead::view);
    }

    private static MiniProgramView view(List<Row> rows) {
        if (rows.isEmpty()) {
            throw new NotFoundException("Mini program");
        }
        Row first = rows.getFirst();
        return switch (first.outcome()) {
            case "OK" -> MiniProgramView.of(first.program(), rows.stream().map(Row::text).toList());
            case "HIDDEN" -> throw new NotFoundException("Mini program");
            default -> throw new NotFoundException("Tenant");
        };
    }

    private static Row row(Readable row) {
        String outcome = row.get("outcome", String.class);
        if (!"OK".equals(outcome)) {
            return new Row(outcome, null, null);
        }
        UUID tenantId = row.get("tenant_id", UUID.class);
        String appId = row.get("app_id", String.class);
        MiniProgram program = new MiniProgram(tenantId, appId, row.get("default_language", String.class),
                row.get("release_to", String.class), row.get("industry", String.class),
                row.get("service_phone", String.class), row.get("service_email", String.class),
                row.get("logo_sha256", String.class), row.get("created_by", String.class),
                row.get("created_at", Instant.class), row.get("updated_at", Instant.class),
                row.get("version", Long.class));
        MiniProgramLocalization text = new MiniProgramLocalization(tenantId, appId, row.get("language", String.class),
                row.get("name", String.class), row.get("tagline", String.class), row.get("description", String.class));
        return new Row(outcome, program, text);
    }
}
