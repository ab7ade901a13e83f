package dev.miniplatform.devservices;

import org.apache.commons.logging.Log;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Finds or starts Keycloak with the project's realm. Order: Testcontainers when asked for → a Keycloak on
 * 127.0.0.1:{port} that already has the realm → the official distribution unpacked by the build into the user
 * cache, started in dev mode with a fresh database and the realm imported.
 */
final class KeycloakProvisioner {

    static final String VERSION = loadVersion();
    static final String REALM = "platform";
    static final String REALM_RESOURCE = SandboxRealm.RESOURCE;

    private static final Duration START_TIMEOUT = Duration.ofSeconds(240);
    static final String THEME = "platform";
    private static final List<String> THEME_FILES = List.of("login/theme.properties", "login/login-oauth-grant.ftl",
            "login/messages/messages_en.properties");

    private final DevServicesSettings.Keycloak settings;
    private final boolean containers;
    private final Log log;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    KeycloakProvisioner(DevServicesSettings settings, Log log) {
        this.settings = settings.keycloak();
        this.containers = settings.containers();
        this.log = log;
    }

    /** The base URL of a Keycloak that serves the platform realm. */
    String provide() {
        List<String> attempts = new ArrayList<>();
        if (containers) {
            String container = ContainerServices.keycloak(VERSION, attempts);
            if (container != null) {
                return container;
            }
        }
        String local = "http://127.0.0.1:" + settings.port();
        if (Ports.isOpen("127.0.0.1", settings.port())) {
            if (realmAnswers(local)) {
                log.info("Keycloak for this run: " + local + " (already running)");
                return local;
            }
            attempts.add(local + ": something listens there but realm '" + REALM + "' does not answer");
            throw unavailable(attempts, "Stop what listens on port %d, or import %s into it."
                    .formatted(settings.port(), "infra/src/main/resources" + REALM_RESOURCE));
        }
        attempts.add("a Keycloak on " + local + ": nothing listens there");
        return start(local, attempts);
    }

    private String start(String url, List<String> attempts) {
        Path home = settings.distribution();
        if (!Files.isExecutable(home.resolve("bin/kc.sh"))) {
            attempts.add("the Keycloak distribution at " + home + ": not unpacked");
            throw unavailable(attempts, """
                    Run './mvnw -q -pl infra/dev-services generate-resources' once to fetch org.keycloak:keycloak-quarkus-dist:%s \
                    from Maven Central into the user cache, or set platform.keycloak.url to a running Keycloak \
                    that has the realm in infra/src/main/resources%s.""".formatted(VERSION, REALM_RESOURCE));
        }
        Path javaHome = JavaHomes.atLeast(21);
        if (javaHome == null) {
            attempts.add("a JDK 21 or newer to run Keycloak: none found (JAVA_HOME, this JVM, /usr/lib/jvm)");
            throw unavailable(attempts, "Install a JDK 21 or newer (e.g. Temurin 25) and point JAVA_HOME at it.");
        }
        Path log = home.resolve("data/platform-dev-services.log");
        try {
            Process process = launch(home, javaHome, log);
            awaitRealm(url, process, log);
            return url;
        } catch (IOException e) {
            attempts.add("starting " + home + "/bin/kc.sh: " + e.getMessage());
            throw unavailable(attempts, "See " + log + " for Keycloak's own output.");
        }
    }

    private Process launch(Path home, Path javaHome, Path log) throws IOException {
        resetData(home);
        ProcessBuilder builder = new ProcessBuilder(home.resolve("bin/kc.sh").toString(), "start-dev",
                "--http-host=127.0.0.1",
                "--http-port=" + settings.port(),
                "--http-management-port=" + settings.managementPort(),
                "--hostname=http://127.0.0.1:" + settings.port(),
                "--health-enabled=true",
                "--import-realm")
                .directory(home.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().put("JAVA_HOME", javaHome.toString());
        builder.environment().put("KC_BOOTSTRAP_ADMIN_USERNAME", settings.adminUser());
        builder.environment().put("KC_BOOTSTRAP_ADMIN_PASSWORD", settings.adminPassword());
        this.log.info("Starting Keycloak %s from %s (about 15 s, a minute the first time); log: %s".formatted(VERSION, home, log));
        Process process = builder.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(process), "stop-keycloak"));
        return process;
    }

    /**
     * Each start gets a fresh dev database with the current realm file and the current login theme, so no run sees
     * another's leftovers.
     */
    static void resetData(Path home) throws IOException {
        Path data = home.resolve("data");
        deleteRecursively(data.resolve("h2"));
        deleteRecursively(data.resolve("import"));
        Files.createDirectories(data.resolve("import"));
        SandboxRealm.writeTo(data.resolve("import/platform-realm.json"));
        installTheme(home.resolve("themes"));
    }

    /** The realm's login theme ({@value #THEME}, shipped in the infra jar), copied where Keycloak looks for themes. */
    private static void installTheme(Path themes) throws IOException {
        Path theme = themes.resolve(THEME);
        deleteRecursively(theme);
        for (String file : THEME_FILES) {
            try (InputStream in = KeycloakProvisioner.class.getResourceAsStream("/keycloak/themes/" + THEME + "/" + file)) {
                if (in == null) {
                    throw new IOException("theme file " + file + " is missing from the classpath (infra jar)");
                }
                Path target = theme.resolve(file);
                Files.createDirectories(target.getParent());
                Files.copy(in, target);
            }
        }
    }

    private void awaitRealm(String url, Process process, Path log) throws IOException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!realmAnswers(url)) {
            if (!process.isAlive()) {
                throw new IOException("Keycloak exited with code " + process.exitValue() + "; last lines of its log:\n" + tail(log));
            }
            if (System.nanoTime() > deadline) {
                stop(process);
                throw new IOException("realm did not answer within " + START_TIMEOUT.toSeconds() + " s; last lines:\n" + tail(log));
            }
            pause();
        }
        this.log.info("Keycloak for this run: " + url + " (started by this run)");
    }

    private boolean realmAnswers(String url) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url + "/realms/" + REALM))
                .timeout(Duration.ofSeconds(3))
                .GET()
                .build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void stop(Process process) {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            process.waitFor(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    private static String tail(Path log) {
        try (Stream<String> lines = Files.lines(log)) {
            List<String> all = lines.toList();
            return String.join("\n", all.subList(Math.max(0, all.size() - 15), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    private static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(path)) {
            for (Path each : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(each);
            }
        }
    }

    private static void pause() {
        try {
            Thread.sleep(500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Keycloak", e);
        }
    }

    private static DevServiceUnavailableException unavailable(List<String> attempts, String remedy) {
        return new DevServiceUnavailableException("Keycloak", attempts, remedy);
    }

    private static String loadVersion() {
        Properties properties = new Properties();
        try (InputStream in = KeycloakProvisioner.class.getResourceAsStream("/dev-services/versions.properties")) {
            properties.load(in);
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("dev-services/versions.properties is missing from the dev-services jar", e);
        }
        return properties.getProperty("keycloak.version");
    }
}
