package dev.miniplatform.api;

import dev.miniplatform.api.support.IntegrationTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code PlatformApplication migrate}, what the Kubernetes migration Job runs (deploy/k8s): given only the schema
 * owner's JDBC settings (no R2DBC, Redis, Keycloak secret or mail) it applies every migration to an empty database,
 * exits with 0, applies nothing the second time, and fails when the database refuses it. The PostgreSQL server and
 * its superuser are the test run's own (the shared context's dev services); the database is this test's.
 */
class SchemaMigrationIntegrationTest extends IntegrationTest {

    private static String superuserUrl;
    private static String superuser;
    private static String superuserPassword;
    private static String database;
    private static String databaseUrl;

    @Autowired
    private Environment environment;

    @BeforeEach
    void emptyDatabase() throws SQLException {
        if (database != null) {
            return;
        }
        superuserUrl = environment.getRequiredProperty("spring.flyway.url");
        superuser = environment.getRequiredProperty("spring.flyway.user");
        superuserPassword = environment.getProperty("spring.flyway.password", "");
        database = "platform_migrate_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        databaseUrl = superuserUrl.substring(0, superuserUrl.lastIndexOf('/') + 1) + database;
        execute(superuserUrl, "create database " + database);
    }

    @AfterAll
    static void dropDatabase() throws SQLException {
        if (database != null) {
            execute(superuserUrl, "drop database if exists " + database + " with (force)");
        }
    }

    @Test
    void migratesAnEmptyDatabaseOnceWithOnlyTheOwnersSettingsAndExits() throws Exception {
        int migrations = new PathMatchingResourcePatternResolver().getResources("classpath*:db/migration/V*__*.sql").length;
        assertThat(migrations).isGreaterThan(20);

        assertThat(SchemaMigration.run(migrateArguments(superuserPassword))).isZero();
        assertThat(successfulMigrations()).isEqualTo(migrations);
        assertThat(tableOwner("tenants")).isEqualTo(superuser);

        // a second release's Job on an up-to-date schema: nothing to do, still success
        assertThat(SchemaMigration.run(migrateArguments(superuserPassword))).isZero();
        assertThat(successfulMigrations()).isEqualTo(migrations);
    }

    @Test
    void aDatabaseThatRefusesTheOwnerFailsTheCommand() {
        String[] wrongUser = {"migrate", "--spring.flyway.url=" + databaseUrl, "--spring.flyway.user=no_such_role_" + database,
                "--spring.flyway.password=wrong"};

        assertThatThrownBy(() -> SchemaMigration.run(wrongUser))
                .hasStackTraceContaining("no_such_role_");
    }

    @Test
    void onlyTheMigrateArgumentSelectsTheCommand() {
        assertThat(SchemaMigration.isRequested(new String[] {"migrate", "--x=y"})).isTrue();
        assertThat(SchemaMigration.isRequested(new String[] {"--server.port=8080"})).isFalse();
        assertThat(SchemaMigration.isRequested(new String[] {})).isFalse();
    }

    private static String[] migrateArguments(String password) {
        // also what an API node would carry, proving the command turns Flyway back on and ignores the rest
        return new String[] {"migrate", "--spring.flyway.url=" + databaseUrl, "--spring.flyway.user=" + superuser,
                "--spring.flyway.password=" + password, "--spring.flyway.enabled=false"};
    }

    private static int successfulMigrations() throws SQLException {
        return queryInt("select count(*) from flyway_schema_history where success and version is not null");
    }

    private static String tableOwner(String table) throws SQLException {
        try (Connection connection = DriverManager.getConnection(databaseUrl, superuser, superuserPassword);
             Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("select tableowner from pg_tables where tablename = '" + table + "'")) {
            assertThat(result.next()).as("table %s exists", table).isTrue();
            return result.getString(1);
        }
    }

    private static int queryInt(String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(databaseUrl, superuser, superuserPassword);
             Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return result.getInt(1);
        }
    }

    private static void execute(String url, String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url, superuser, superuserPassword);
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
