package dev.miniplatform.api.isv;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

import java.util.UUID;

/**
 * An ISV's public face (tenant, client id, name, first redirect URI, status), looked up across tenants through
 * the {@code isv_directory} database function, which returns nothing secret. Used inside the caller's transaction.
 */
@Component
public class IsvDirectory {

    public record Entry(UUID tenantId, String clientId, String name, String redirectUri, String status) {

        public boolean active() {
            return "ACTIVE".equals(status);
        }
    }

    private final DatabaseClient database;

    IsvDirectory(DatabaseClient database) {
        this.database = database;
    }

    public Mono<Entry> byClient(String clientId) {
        return database.sql("select * from isv_directory(null, $1)")
                .bind(0, clientId)
                .map(row -> new Entry(row.get("tenant_id", UUID.class), row.get("client_id", String.class),
                        row.get("name", String.class), row.get("redirect_uri", String.class),
                        row.get("status", String.class)))
                .all()
                .next();
    }

    public Mono<Entry> byTenant(UUID tenantId) {
        return database.sql("select * from isv_directory($1, null)")
                .bind(0, tenantId)
                .map(row -> new Entry(row.get("tenant_id", UUID.class), row.get("client_id", String.class),
                        row.get("name", String.class), row.get("redirect_uri", String.class),
                        row.get("status", String.class)))
                .all()
                .next();
    }
}
