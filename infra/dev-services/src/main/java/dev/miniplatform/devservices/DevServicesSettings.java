package dev.miniplatform.devservices;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

import java.nio.file.Path;

/**
 * {@code platform.dev-services.*}: how dev and test runs obtain PostgreSQL, Redis and Keycloak. Read in an
 * environment post-processor, before beans exist, hence bound by hand rather than as a bean.
 *
 * @param enabled      provision services at all (false in production, where URLs are configured)
 * @param containers   prefer Testcontainers when a Docker engine is reachable
 * @param postgres     PostgreSQL choices
 * @param keycloak     Keycloak choices
 */
public record DevServicesSettings(boolean enabled, boolean containers, Postgres postgres, Keycloak keycloak) {

    /**
     * @param database         database to use; ignored when {@code freshDatabase}
     * @param freshDatabase    create a new, uniquely named database and drop it when the JVM exits (tests)
     * @param superuser        role that owns the schema and runs Flyway
     * @param superuserPassword its password (trust auth locally needs none)
     * @param appRole          role the application connects as: neither owner nor superuser, so RLS applies
     * @param appPassword      its password
     */
    public record Postgres(String database, boolean freshDatabase, String superuser, String superuserPassword,
                           String appRole, String appPassword) {
    }

    /**
     * @param port           HTTP port of a started Keycloak (and where a running one is looked for)
     * @param managementPort its management (health) port
     * @param distribution   unpacked {@code keycloak-quarkus-dist} directory
     * @param adminUser      dev-only bootstrap admin of the master realm
     * @param adminPassword  its password
     */
    public record Keycloak(int port, int managementPort, Path distribution, String adminUser, String adminPassword) {
    }

    static DevServicesSettings from(Environment environment) {
        Binder binder = Binder.get(environment);
        String home = System.getProperty("user.home");
        Path defaultDistribution = Path.of(home, ".cache", "mini-program-platform", "keycloak-" + KeycloakProvisioner.VERSION);
        return new DevServicesSettings(
                binder.bind("platform.dev-services.enabled", Boolean.class).orElse(false),
                binder.bind("platform.dev-services.containers", Boolean.class).orElse(false),
                new Postgres(
                        binder.bind("platform.dev-services.postgres.database", String.class).orElse("platform"),
                        binder.bind("platform.dev-services.postgres.fresh-database", Boolean.class).orElse(false),
                        binder.bind("platform.dev-services.postgres.superuser", String.class).orElse("postgres"),
                        binder.bind("platform.dev-services.postgres.superuser-password", String.class).orElse(""),
                        binder.bind("platform.dev-services.postgres.app-role", String.class).orElse("platform_app"),
                        binder.bind("platform.dev-services.postgres.app-password", String.class).orElse("platform_app")),
                new Keycloak(
                        binder.bind("platform.dev-services.keycloak.port", Integer.class).orElse(8180),
                        binder.bind("platform.dev-services.keycloak.management-port", Integer.class).orElse(8190),
                        binder.bind("platform.dev-services.keycloak.distribution", Path.class).orElse(defaultDistribution),
                        binder.bind("platform.dev-services.keycloak.admin-user", String.class).orElse("admin"),
                        binder.bind("platform.dev-services.keycloak.admin-password", String.class).orElse("admin")));
    }
}
