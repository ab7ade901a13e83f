package dev.miniplatform.api.support;

import dev.miniplatform.api.PlatformApplication;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One more API node as an operating-system process of its own (the test classpath, the {@code test} profile, dev
 * services off, the services of the calling test's node), so a test can kill it with SIGKILL: no shutdown hook,
 * no graceful stop, no chance to hand back what it holds — what a crash or an OOM kill does in production.
 */
public final class NodeProcess implements AutoCloseable {

    private final Process process;
    private final int port;
    private final Path log;

    private NodeProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Starts the node and waits until it answers HTTP (after start-up, which includes Flyway's validation); {@code properties} are passed as command-line arguments. */
    public static NodeProcess start(Map<String, ?> properties, Duration startupTimeout) throws IOException, InterruptedException {
        return start(properties, startupTimeout, freePort());
    }

    /** As {@link #start(Map, Duration)}, on the given port: a node brought back where a load balancer expects it. */
    public static NodeProcess start(Map<String, ?> properties, Duration startupTimeout, int port)
            throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        // surefire runs tests from a manifest-only jar; this property holds the real test classpath
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(java, "-Xmx512m", "-cp", classpath, PlatformApplication.class.getName(),
                "--spring.profiles.active=test", "--platform.dev-services.enabled=false", "--server.port=" + port));
        properties.forEach((key, value) -> command.add("--" + key + "=" + value));
        Path log = Files.createTempFile("node-process-", ".log");
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        NodeProcess node = new NodeProcess(process, port, log);
        node.awaitReady(startupTimeout);
        return node;
    }

    public int port() {
        return port;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** SIGKILL, and waits until the process is gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
        try {
            Files.deleteIfExists(log);
        } catch (IOException ignored) {
            // a temp file left behind is harmless
        }
    }

    private void awaitReady(Duration timeout) throws InterruptedException, IOException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest health = HttpRequest.newBuilder(URI.create(baseUrl() + "/actuator/health"))
                .timeout(Duration.ofSeconds(5))
                .build();
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the node process ended with " + process.exitValue() + ":\n" + tail());
            }
            try {
                // any answer means the server listens (health itself may say DOWN for a moment)
                http.send(health, HttpResponse.BodyHandlers.discarding());
                return;
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        kill();
        throw new IllegalStateException("the node process did not answer within " + timeout + ":\n" + tail());
    }

    private String tail() throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
