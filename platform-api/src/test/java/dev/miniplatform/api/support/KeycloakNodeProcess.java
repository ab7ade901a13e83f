package dev.miniplatform.api.support;

import dev.miniplatform.devservices.SandboxKeycloakFiles;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One node of a clustered Keycloak, as bin/cluster runs it: the distribution dev services use, built once for
 * PostgreSQL and clustered caches ({@code cache=ispn} over the {@code jdbc-ping} stack, into
 * {@code <distribution>-cluster}, the copy bin/cluster builds too), copied into a directory of the node's own with the
 * sandbox realm and login theme, and started with {@code start --optimized} on loopback ports, its hostname the load
 * balancer's URL so that every node issues tokens of one issuer. A test kills it with SIGKILL and starts it again with
 * its data, as {@code bin/cluster kill kc1} and {@code revive kc1} do.
 */
public final class KeycloakNodeProcess implements AutoCloseable {

    /** The database every node of a cluster shares (Keycloak's data and jdbc-ping's member table). */
    public record Database(String jdbcUrl, String user, String password) {

        /**
         * A new, empty database named {@code prefix_<random>} on the PostgreSQL server of {@code serverJdbcUrl} (any
         * database's URL on it), made by {@code user}, who must be allowed to create databases.
         */
        public static Database createFresh(String serverJdbcUrl, String user, String password, String prefix)
                throws SQLException {
            String server = serverJdbcUrl.substring(0, serverJdbcUrl.lastIndexOf('/'));
            String name = prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
            try (Connection connection = DriverManager.getConnection(server + "/postgres", user, password);
                 Statement statement = connection.createStatement()) {
                statement.execute("create database " + name);
            }
            return new Database(server + "/" + name, user, password);
        }

        /** Drops the database, closing the connections still open to it (those of killed nodes included). */
        public void drop() throws SQLException {
            String server = jdbcUrl.substring(0, jdbcUrl.lastIndexOf('/'));
            String name = jdbcUrl.substring(jdbcUrl.lastIndexOf('/') + 1);
            try (Connection connection = DriverManager.getConnection(server + "/postgres", user, password);
                 Statement statement = connection.createStatement()) {
                statement.execute("drop database if exists " + name + " with (force)");
            }
        }
    }

    /** The ports of one node on 127.0.0.1: HTTP, management (health) and the cluster transport (JGroups). */
    public record Ports(int http, int management, int cluster) {
    }

    /** Infinispan's "ISPN000094: Received new cluster view for channel ISPN: [coordinator|id] (members) [a, b]". */
    private static final Pattern VIEW = Pattern.compile("ISPN000094: .*?\\[([^|\\]]+)\\|\\d+] \\((\\d+)\\) \\[([^\\]]*)]");
    /** Infinispan's "ISPN000079: Channel `ISPN` local address is `name`, physical addresses are …". */
    private static final Pattern LOCAL_ADDRESS = Pattern.compile("ISPN000079: .*? local address is `([^`]+)`");
    private static final String ADMIN = "admin";

    private final String name;
    private final Path home;
    private final Ports ports;
    private final Database database;
    private final String hostname;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private Process process;
    private int starts;

    private KeycloakNodeProcess(String name, Path home, Ports ports, Database database, String hostname) {
        this.name = name;
        this.home = home;
        this.ports = ports;
        this.database = database;
        this.hostname = hostname;
    }

    /**
     * A node in a directory of its own under /tmp, a copy of the built distribution with the sandbox realm's files
     * (the realm to import only when {@code importsRealm}: one node of a cluster imports it, as bin/cluster's kc1).
     */
    public static KeycloakNodeProcess prepare(String name, Path built, Ports ports, Database database, String hostname,
                                              boolean importsRealm) throws IOException, InterruptedException {
        Path home = Files.createTempDirectory("keycloak-" + name + "-").resolve("keycloak");
        run(List.of("cp", "-a", built.toString(), home.toString()), null, home.getParent().resolve("copy.log"));
        SandboxKeycloakFiles.main(new String[] {home.toString()});
        if (!importsRealm) {
            deleteRecursively(home.resolve("data/import"));
        }
        return new KeycloakNodeProcess(name, home, ports, database, hostname);
    }

    /**
     * The distribution dev services use ({@code platform.dev-services.keycloak.distribution}, as a system property or
     * the environment variable, else the user cache), built once for PostgreSQL, health and clustered caches into
     * {@code <distribution>-cluster}, exactly as bin/cluster builds it; an existing build (its {@code .built} marker) is
     * used as it is.
     */
    public static Path clusterDistribution() throws IOException, InterruptedException {
        Path distribution = devServicesDistribution();
        if (!Files.isExecutable(distribution.resolve("bin/kc.sh"))) {
            throw new IllegalStateException("no Keycloak distribution at " + distribution
                    + ": './mvnw -pl infra/dev-services generate-resources' unpacks it");
        }
        Path built = distribution.resolveSibling(distribution.getFileName() + "-cluster");
        if (Files.exists(built.resolve(".built"))) {
            return built;
        }
        // built beside it and moved into place in one step, so that bin/cluster (or another JVM) never starts a
        // half-built copy; whoever finishes second uses the first one's
        Path building = Files.createTempDirectory(distribution.getParent(), built.getFileName() + ".building-");
        Path copy = building.resolve("keycloak");
        run(List.of("cp", "-a", distribution.toString(), copy.toString()), null, building.resolve("copy.log"));
        deleteRecursively(copy.resolve("data"));
        run(List.of(copy.resolve("bin/kc.sh").toString(), "build", "--db=postgres", "--health-enabled=true",
                "--cache=ispn", "--cache-stack=jdbc-ping"), copy, building.resolve("build.log"));
        Files.createFile(copy.resolve(".built"));
        try {
            Files.move(copy, built, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException builtMeanwhile) {
            if (!Files.exists(built.resolve(".built"))) {
                throw builtMeanwhile;
            }
        }
        deleteRecursively(building);
        return built;
    }

    public String name() {
        return name;
    }

    public Ports ports() {
        return ports;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + ports.http();
    }

    /** Starts the node on its data (a restarted node keeps what it had) and returns at once; see {@link #awaitStarted}. */
    public synchronized void start() throws IOException {
        List<String> command = new ArrayList<>(List.of(home.resolve("bin/kc.sh").toString(), "start", "--optimized",
                "--db-url=" + database.jdbcUrl(), "--db-username=" + database.user(),
                // the suite's PostgreSQL is shared by many test contexts: a few connections are plenty for this load
                "--db-pool-max-size=10",
                "--http-enabled=true", "--http-host=127.0.0.1", "--http-port=" + ports.http(),
                "--http-management-port=" + ports.management(),
                "--hostname=" + hostname,
                "--cache-embedded-network-bind-address=127.0.0.1",
                "--cache-embedded-network-bind-port=" + ports.cluster()));
        if (!database.password().isEmpty()) {
            command.add("--db-password=" + database.password());
        }
        if (Files.isDirectory(home.resolve("data/import")) && starts == 0) {
            command.add("--import-realm");
        }
        starts++;
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(home.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile()));
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().put("KC_BOOTSTRAP_ADMIN_USERNAME", ADMIN);
        builder.environment().put("KC_BOOTSTRAP_ADMIN_PASSWORD", ADMIN);
        process = builder.start();
    }

    /**
     * Waits until the node has started, as the balancer judges it: {@code Keycloak Initialized} UP in its readiness
     * (not the whole readiness: decision 248), and returns how long that took.
     */
    public Duration awaitStarted(Duration timeout) throws IOException, InterruptedException {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ports.management() + "/health/ready"))
                .timeout(Duration.ofSeconds(5))
                .build();
        Pattern initialized = Pattern.compile("Keycloak Initialized\",\\s*\"status\":\\s*\"UP\"");
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Keycloak " + name + " ended with " + process.exitValue() + ":\n" + tail());
            }
            try {
                if (initialized.matcher(http.send(ready, HttpResponse.BodyHandlers.ofString()).body()).find()) {
                    return Duration.ofNanos(System.nanoTime() - start);
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("Keycloak " + name + " did not start within " + timeout + ":\n" + tail());
    }

    /** SIGKILL, no shutdown of any kind, and waits until the process is gone. */
    public synchronized void kill() throws InterruptedException {
        if (process == null) {
            return;
        }
        // kc.sh execs the JVM when started --optimized; its descendants too, should that change
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.waitFor();
    }

    public boolean alive() {
        return process != null && process.isAlive();
    }

    /** This node's member name in the cluster (JGroups' address) since its last start; empty until it joined. */
    public String memberName() throws IOException {
        String last = "";
        for (String line : currentStartLog()) {
            Matcher matcher = LOCAL_ADDRESS.matcher(line);
            if (matcher.find()) {
                last = matcher.group(1);
            }
        }
        return last;
    }

    /** The last cluster view this node logged since its last start: the coordinator first; empty when none yet. */
    public List<String> clusterView() throws IOException {
        List<String> members = List.of();
        for (String line : currentStartLog()) {
            Matcher matcher = VIEW.matcher(line);
            if (matcher.find()) {
                // each member as "name(v=<JGroups version>)"
                members = Stream.of(matcher.group(3).split(",\\s*"))
                        .map(member -> member.replaceFirst("\\(.*\\)$", ""))
                        .toList();
            }
        }
        return members;
    }

    /** Waits until this node's cluster view is exactly {@code members} (order aside) and returns how long that took. */
    public Duration awaitClusterView(List<String> members, Duration timeout) throws IOException, InterruptedException {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            List<String> view = clusterView();
            if (view.size() == members.size() && view.containsAll(members)) {
                return Duration.ofNanos(System.nanoTime() - start);
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("Keycloak %s's cluster view stayed %s, not %s, for %s"
                .formatted(name, clusterView(), members, timeout));
    }

    /** The log's lines since the node's last start (a restarted node appends to the same file). */
    private List<String> currentStartLog() throws IOException {
        List<String> lines = Files.readAllLines(log());
        int lastStart = 0;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains("ISPN000078")) {
                lastStart = i;
            }
        }
        return lines.subList(lastStart, lines.size());
    }

    public Path log() {
        return home.resolveSibling("keycloak.log");
    }

    public String tail() {
        try {
            List<String> lines = Files.readAllLines(log());
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    /** Kills the node and deletes its directory. */
    @Override
    public void close() throws InterruptedException, IOException {
        kill();
        deleteRecursively(home.getParent());
    }

    private static Path devServicesDistribution() throws IOException {
        String configured = System.getProperty("platform.dev-services.keycloak.distribution",
                System.getenv("PLATFORM_DEVSERVICES_KEYCLOAK_DISTRIBUTION"));
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        Properties versions = new Properties();
        try (InputStream in = SandboxKeycloakFiles.class.getResourceAsStream("/dev-services/versions.properties")) {
            versions.load(in);
        }
        return Path.of(System.getProperty("user.home"), ".cache", "mini-program-platform",
                "keycloak-" + versions.getProperty("keycloak.version"));
    }

    private static void run(List<String> command, Path directory, Path log) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        if (directory != null) {
            builder.directory(directory.toFile());
        }
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process process = builder.start();
        if (process.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed:\n" + Files.readString(log));
        }
    }

    private static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (var files = Files.walk(path)) {
            files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        }
    }
}
