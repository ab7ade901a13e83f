package dev.miniplatform.api.authorization;

import dev.miniplatform.api.access.TenantScope;
import io.r2dbc.spi.Readable;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The ISV's side of authorizations: which merchants authorized which of its services. The rows belong to the
 * merchants, so they are read through {@code isv_authorized_merchants()} (V25), which answers only for the ISV
 * the tenant context names.
 */
@Tag(name = "ISV", description = "ISV applications, services and the marketplace")
@RestController
class AuthorizedMerchantsController {

    record AuthorizedMerchant(UUID merchant, String merchantName, UUID service, String serviceName,
                              List<String> scopes, String state, Instant grantedAt, Instant revokedAt) {

        static AuthorizedMerchant of(Readable row) {
            return new AuthorizedMerchant(row.get("merchant", UUID.class), row.get("merchant_name", String.class),
                    row.get("service", UUID.class), row.get("service_name", String.class),
                    List.of(row.get("scopes", String.class).split(" ")), row.get("state", String.class),
                    row.get("granted_at", Instant.class), row.get("revoked_at", Instant.class));
        }
    }

    private final TenantScope scope;
    private final DatabaseClient database;

    AuthorizedMerchantsController(TenantScope scope, DatabaseClient database) {
        this.scope = scope;
        this.database = database;
    }

    @Operation(summary = "Merchants that authorized this ISV's services, active and revoked (ISV owner and masters)")
    @GetMapping("/api/v1/tenants/{isvId}/authorized-merchants")
    Mono<List<AuthorizedMerchant>> list(@PathVariable String isvId) {
        return scope.run(isvId, access -> Mono.fromCallable(access::requireManager)
                .flatMap(manager -> database.sql("select * from isv_authorized_merchants()")
                        .map(AuthorizedMerchant::of)
                        .all()
                        .collectList()));
    }
}
