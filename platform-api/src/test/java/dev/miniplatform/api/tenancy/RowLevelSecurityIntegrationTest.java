package dev.miniplatform.api.tenancy;

import dev.miniplatform.api.support.Images;
import dev.miniplatform.api.support.IntegrationTest;
import dev.miniplatform.api.support.Workspace;
import dev.miniplatform.infra.tenancy.TenantContext;
import dev.miniplatform.infra.tenancy.TenantTransactions;
import dev.miniplatform.model.tenancy.Membership;
import dev.miniplatform.model.tenancy.MembershipRepository;
import dev.miniplatform.model.tenancy.Tenant;
import dev.miniplatform.model.tenancy.TenantKind;
import dev.miniplatform.model.tenancy.TenantName;
import dev.miniplatform.model.tenancy.TenantRepository;
import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.pool.ConnectionPoolConfiguration;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactoryOptions;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.dao.DataAccessException;
import org.springframework.r2dbc.connection.R2dbcTransactionManager;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * PostgreSQL itself keeps tenants apart, whatever the service layer forgets: these tests call repositories
 * without any tenant filter and expect the database to filter. They fail if the policies are dropped, not
 * forced, or bypassed by a privileged connection role.
 */
class RowLevelSecurityIntegrationTest extends IntegrationTest {

    @Autowired
    TenantRepository tenants;

    @Autowired
    MembershipRepository memberships;

    @Autowired
    TenantTransactions transactions;

    @Autowired
    DatabaseClient databaseClient;

    @Value("${spring.r2dbc.url}")
    String r2dbcUrl;

    @Value("${spring.r2dbc.username}")
    String username;

    @Value("${spring.r2dbc.password}")
    String password;

    @Test
    void theApplicationConnectsAsARoleThatRowLevelSecurityApplies() {
        Map<String, Object> role = databaseClient.sql("""
                        select r.rolsuper, r.rolbypassrls, t.tableowner = current_user as owns_tenants
                        from pg_roles r, pg_tables t
                        where r.rolname = current_user and t.tablename = 'tenants'""")
                .fetch()
                .one()
                .block();

        assertThat(role).containsEntry("rolsuper", false).containsEntry("rolbypassrls", false)
                .containsEntry("owns_tenants", false);
        Map<String, Object> forced = databaseClient.sql("""
                        select bool_and(relrowsecurity) as enabled, bool_and(relforcerowsecurity) as forced
                        from pg_class where relname in ('tenants', 'memberships')""")
                .fetch()
                .one()
                .block();
        assertThat(forced).containsEntry("enabled", true).containsEntry("forced", true);
    }

    @Test
    void anUnfilteredQuerySeesOnlyTheCurrentTenantsRows() {
        Tenant a = insertTenant("user-a");
        Tenant b = insertTenant("user-b");

        StepVerifier.create(transactions.inTransaction(tenants.findAll())
                        .contextWrite(TenantContext.forTenant(a.id(), null)))
                .assertNext(seen -> assertThat(seen.id()).isEqualTo(a.id()))
                .verifyComplete();
        StepVerifier.create(transactions.inTransaction(memberships.findAll())
                        .contextWrite(TenantContext.forTenant(b.id(), null)))
                .assertNext(seen -> assertThat(seen.tenantId()).isEqualTo(b.id()))
                .verifyComplete();
    }

    @Test
    void aUserSeesTheTenantsTheyBelongToAndNoOthers() {
        Tenant mine = insertTenant("user-c");
        insertTenant("user-d");

        StepVerifier.create(transactions.inTransaction(tenants.findAll())
                        .contextWrite(TenantContext.forUser("user-c")))
                .assertNext(seen -> assertThat(seen.id()).isEqualTo(mine.id()))
                .verifyComplete();
    }

    @Test
    void withNoTenantSetNothingIsVisible() {
        insertTenant("user-e");

        StepVerifier.create(transactions.inTransaction(tenants.findAll()))
                .verifyComplete();
        StepVerifier.create(tenants.findAll())
                .verifyComplete();
        StepVerifier.create(memberships.findAll())
                .verifyComplete();
    }

    @Test
    void writingARowOfAnotherTenantIsRefusedByTheDatabase() {
        Tenant a = insertTenant("user-f");
        Tenant intruder = newTenant("user-f").inRealm("org", "group");

        StepVerifier.create(transactions.inTransaction(tenants.save(intruder))
                        .contextWrite(TenantContext.forTenant(a.id(), "user-f")))
                .expectErrorSatisfies(e -> assertThat(e)
                        .isInstanceOf(DataAccessException.class)
                        .hasStackTraceContaining("row-level security"))
                .verify();
        StepVerifier.create(transactions.inTransaction(memberships.save(Membership.owner(intruder, "user-f")))
                        .contextWrite(TenantContext.forTenant(a.id(), "user-f")))
                .expectError(DataAccessException.class)
                .verify();
    }

    @Test
    void theTenantSettingNeverReachesTheNextUserOfAPooledConnection() {
        Tenant a = insertTenant("user-g");
        ConnectionPool onlyOneConnection = new ConnectionPool(ConnectionPoolConfiguration.builder(
                        ConnectionFactories.get(ConnectionFactoryOptions.parse(r2dbcUrl).mutate()
                                .option(ConnectionFactoryOptions.USER, username)
                                .option(ConnectionFactoryOptions.PASSWORD, password)
                                .build()))
                .initialSize(1)
                .maxSize(1)
                .build());
        try {
            DatabaseClient client = DatabaseClient.create(onlyOneConnection);
            TenantTransactions pooled = new TenantTransactions(client,
                    TransactionalOperator.create(new R2dbcTransactionManager(onlyOneConnection)));
            Mono<Long> countInTenant = pooled.inTransaction(countTenants(client))
                    .contextWrite(TenantContext.forTenant(a.id(), null));

            assertThat(countInTenant.block()).isEqualTo(1L);
            assertThat(countTenants(client).block()).isZero();
            assertThat(client.sql("select coalesce(current_setting('app.tenant_id', true), '') as tenant")
                    .map(row -> row.get("tenant", String.class))
                    .one()
                    .block()).isEmpty();
        } finally {
            onlyOneConnection.dispose();
        }
    }

    @Test
    void everyWorkspaceTableShowsNothingToAnotherTenantEvenWithoutAWhereClause() {
        Workspace workspace = Workspace.create(api, keycloak);
        String appId = workspace.createMiniProgram(workspace.owner, "RLS Tea");
        api.put().uri(workspace.path("/mini-programs/" + appId + "/logo"))
                .headers(h -> h.setBearerAuth(workspace.owner.accessToken()))
                .bodyValue(Images.of("png", 32, 32))
                .exchange()
                .expectStatus().isOk();
        workspace.join("DEVELOPER", List.of(appId));
        UUID own = UUID.fromString(workspace.tenantId);
        UUID other = insertTenant("user-h").id();

        for (String table : List.of("mini_programs", "mini_program_localizations", "logos", "developer_assignments",
                "invitations", "audit_events")) {
            assertThat(countAs(own, table)).as(table + " in its own tenant").isPositive();
            assertThat(countAs(other, table)).as(table + " seen from another tenant").isZero();
            assertThat(countAs(null, table)).as(table + " with no tenant").isZero();
        }
    }

    private Long countAs(UUID tenant, String table) {
        Mono<Long> count = transactions.inTransaction(databaseClient.sql("select count(*) as n from " + table)
                .map(row -> row.get("n", Long.class))
                .one());
        return (tenant == null ? count : count.contextWrite(TenantContext.forTenant(tenant, null))).block();
    }

    private static Mono<Long> countTenants(DatabaseClient client) {
        return client.sql("select count(*) as n from tenants")
                .map(row -> row.get("n", Long.class))
                .one();
    }

    private Tenant insertTenant(String ownerUserId) {
        Tenant tenant = newTenant(ownerUserId).inRealm("org-" + UUID.randomUUID(), "group");
        Mono<Tenant> save = tenants.save(tenant)
                .flatMap(saved -> memberships.save(Membership.owner(saved, ownerUserId)).thenReturn(saved));
        return transactions.inTransaction(save)
                .contextWrite(TenantContext.forTenant(tenant.id(), ownerUserId))
                .block();
    }

    private static Tenant newTenant(String ownerUserId) {
        return Tenant.create(TenantKind.MERCHANT, new TenantName("RLS " + UUID.randomUUID()), ownerUserId, Instant.now());
    }
}
