package dev.miniplatform.devservices;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.MountableFile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The Testcontainers path, used only when {@code platform.dev-services.containers=true} and a Docker engine
 * answers. Each method returns null (and records why) when containers cannot be had, so the caller falls back
 * to local services. Containers are stopped by Testcontainers' own reaper when the JVM exits.
 */
final class ContainerServices {

    private ContainerServices() {
    }

    static ServiceAddress postgres(DevServicesSettings.Postgres settings, List<String> attempts) {
        if (!dockerAvailable(attempts)) {
            return null;
        }
        PostgreSQLContainer container = new PostgreSQLContainer("postgres:17-alpine")
                .withUsername(settings.superuser())
                .withPassword(settings.superuserPassword().isEmpty() ? "postgres" : settings.superuserPassword());
        container.start();
        return new ServiceAddress(container.getHost(), container.getMappedPort(5432), "Testcontainers");
    }

    static ServiceAddress redis(List<String> attempts) {
        if (!dockerAvailable(attempts)) {
            return null;
        }
        GenericContainer<?> container = new GenericContainer<>("redis:7-alpine").withExposedPorts(6379);
        container.start();
        return new ServiceAddress(container.getHost(), container.getMappedPort(6379), "Testcontainers");
    }

    static String keycloak(String version, List<String> attempts) {
        if (!dockerAvailable(attempts)) {
            return null;
        }
        Path realm;
        try {
            realm = Files.createTempFile("platform-realm", ".json");
            SandboxRealm.writeTo(realm);
        } catch (IOException e) {
            attempts.add("Testcontainers Keycloak: writing the sandbox realm failed: " + e.getMessage());
            return null;
        }
        GenericContainer<?> container = new GenericContainer<>("quay.io/keycloak/keycloak:" + version)
                .withExposedPorts(8080, 9000)
                .withEnv("KC_BOOTSTRAP_ADMIN_USERNAME", "admin")
                .withEnv("KC_BOOTSTRAP_ADMIN_PASSWORD", "admin")
                .withEnv("KC_HEALTH_ENABLED", "true")
                .withCopyFileToContainer(MountableFile.forHostPath(realm),
                        "/opt/keycloak/data/import/platform-realm.json")
                .withCommand("start-dev", "--import-realm")
                .waitingFor(Wait.forHttp("/realms/" + KeycloakProvisioner.REALM).forPort(8080)
                        .withStartupTimeout(Duration.ofMinutes(3)));
        container.start();
        return "http://%s:%d".formatted(container.getHost(), container.getMappedPort(8080));
    }

    private static boolean dockerAvailable(List<String> attempts) {
        try {
            if (DockerClientFactory.instance().isDockerAvailable()) {
                return true;
            }
        } catch (RuntimeException | NoClassDefFoundError e) {
            attempts.add("Testcontainers: " + e.getMessage());
            return false;
        }
        attempts.add("Testcontainers: no Docker engine answers");
        return false;
    }
}
