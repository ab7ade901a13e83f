package dev.miniplatform.api.support;

import java.io.File;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Debian's {@code haproxy} with the configuration bin/cluster ships ({@code bin/lib/haproxy.cfg}), in front of the API
 * nodes a test names, and when asked its Keycloak frontend ({@code bin/lib/haproxy-keycloak.cfg}) in front of Keycloak
 * nodes. The state of each server (UP, DOWN…) is read from the stats page as CSV.
 */
public final class HaproxyProcess implements AutoCloseable {

    private static final List<String> LOCATIONS = List.of("/usr/sbin/haproxy", "/usr/bin/haproxy");

    /** An httplog line's status, bytes, two cookies and termination state, for a request that ended normally. */
    private static final java.util.regex.Pattern NORMAL = java.util.regex.Pattern.compile(" [1-5]\\d\\d \\d+ \\S+ \\S+ ---- ");

    private final Process process;
    private final int port;
    private final int statsPort;
    private final Path dir;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private HaproxyProcess(Process process, int port, int statsPort, Path dir) {
        this.process = process;
        this.port = port;
        this.statsPort = statsPort;
        this.dir = dir;
    }

    /** A Keycloak node behind the balancer: its HTTP port, and the management port its health is checked on. */
    public record KeycloakServer(int httpPort, int managementPort) {
    }

    /** The balancer's Keycloak frontend on {@code port}, in front of {@code servers}: name → node on 127.0.0.1. */
    public record KeycloakFrontend(int port, Map<String, KeycloakServer> servers) {
    }

    public static boolean installed() {
        return executable() != null;
    }

    /** Starts HAProxy on {@code port} (stats on {@code statsPort}) in front of {@code servers}: name → port on 127.0.0.1. */
    public static HaproxyProcess start(int port, int statsPort, Map<String, Integer> servers) throws IOException {
        return start(port, statsPort, servers, null);
    }

    /** As {@link #start(int, int, Map)}, with bin/cluster's Keycloak frontend as well (none when {@code keycloak} is null). */
    public static HaproxyProcess start(int port, int statsPort, Map<String, Integer> servers, KeycloakFrontend keycloak)
            throws IOException {
        Path dir = Files.createTempDirectory("haproxy-");
        String serverLines = servers.entrySet().stream()
                .map(server -> "    server %s 127.0.0.1:%d check".formatted(server.getKey(), server.getValue()))
                .collect(Collectors.joining("\n"));
        String config = Files.readString(shippedConfig("haproxy.cfg"))
                .replace("@API_PORT@", Integer.toString(port))
                .replace("@STATS_PORT@", Integer.toString(statsPort))
                .replace("@API_SERVERS@", serverLines)
                .replace("@API_WRITE_SERVERS@", servers.keySet().stream()
                        .map(name -> "    server %s 127.0.0.1:%d track api_nodes/%s".formatted(name, servers.get(name), name))
                        .collect(Collectors.joining("\n")));
        if (keycloak != null) {
            config += "\n" + keycloakConfig(keycloak);
        }
        Path file = dir.resolve("haproxy.cfg");
        Files.writeString(file, config);
        Process process = new ProcessBuilder(executable(), "-db", "-f", file.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("haproxy.log").toFile())
                .start();
        HaproxyProcess haproxy = new HaproxyProcess(process, port, statsPort, dir);
        haproxy.awaitListening();
        return haproxy;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    private static String keycloakConfig(KeycloakFrontend keycloak) throws IOException {
        // as bin/cluster writes them: checks on the management port, requests to the HTTP port
        String serverLines = keycloak.servers().entrySet().stream()
                .map(server -> "    server %s 127.0.0.1:%d check port %d".formatted(server.getKey(),
                        server.getValue().httpPort(), server.getValue().managementPort()))
                .collect(Collectors.joining("\n"));
        return Files.readString(shippedConfig("haproxy-keycloak.cfg"))
                .replace("@KC_PORT@", Integer.toString(keycloak.port()))
                .replace("@KC_SERVERS@", serverLines);
    }

    /** What HAProxy logged (servers going DOWN and UP, with the reason). */
    public String log() throws IOException {
        return Files.readString(dir.resolve("haproxy.log"));
    }

    /**
     * What HAProxy logged, without the access log lines of requests that ended normally (answered, termination state
     * {@code ----}): servers going DOWN and UP, and every request some side ended early, with its timers and state.
     */
    public String unusualLog() throws IOException {
        return log().lines()
                .filter(line -> !NORMAL.matcher(line).find() && !line.contains(" stats/<STATS> ")
                        // a connection opened and closed without a request: the start-up's "is it listening?"
                        && !(line.contains(" CR-- ") && line.endsWith("\"<BADREQ>\"")))
                .collect(Collectors.joining("\n"));
    }

    /** The server's status as HAProxy's checks see it: "UP", "DOWN", "UP 1/2", "DOWN 1/2", "no check"… */
    public String status(String server) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + statsPort + "/;csv"))
                .timeout(Duration.ofSeconds(2))
                .build();
        String csv = http.send(request, HttpResponse.BodyHandlers.ofString()).body();
        List<String> header = List.of(csv.lines().findFirst().orElseThrow().replaceFirst("^# ", "").split(","));
        int name = header.indexOf("svname");
        int status = header.indexOf("status");
        return csv.lines().skip(1)
                .map(line -> line.split(",", -1))
                .filter(fields -> fields.length > status && fields[name].equals(server))
                .map(fields -> fields[status])
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no server " + server + " in HAProxy's stats"));
    }

    /** Waits until the server's status is exactly {@code expected} and returns how long that took. */
    public Duration awaitStatus(String server, String expected, Duration timeout) throws IOException, InterruptedException {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        String last = null;
        while (System.nanoTime() < deadline) {
            last = status(server);
            if (last.equals(expected)) {
                return Duration.ofNanos(System.nanoTime() - start);
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("HAProxy's %s stayed %s, not %s, for %s".formatted(server, last, expected, timeout));
    }

    @Override
    public void close() throws IOException {
        process.destroy();
        try {
            if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        }
    }

    private void awaitListening() throws IOException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("haproxy ended with " + process.exitValue() + ": "
                        + Files.readString(dir.resolve("haproxy.log")));
            }
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                sleep();
            }
        }
        throw new IOException("haproxy did not listen on " + port + " within 10 s");
    }

    private static void sleep() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A file of bin/lib of this checkout, found from the working directory (a module's, or the root). */
    private static Path shippedConfig(String name) {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            Path candidate = dir.resolve("bin/lib/" + name);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException("bin/lib/" + name + " not found above " + Path.of("").toAbsolutePath());
    }

    private static String executable() {
        return LOCATIONS.stream().filter(path -> new File(path).canExecute()).findFirst().orElse(null);
    }
}
