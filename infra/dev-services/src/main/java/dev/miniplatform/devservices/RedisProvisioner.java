package dev.miniplatform.devservices;

import org.apache.commons.logging.Log;
import redis.embedded.RedisServer;

import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Finds or starts a real Redis. Order: Testcontainers when asked for → the server on 127.0.0.1:6379 →
 * {@code redis-server} from PATH on a free port → the embedded-redis binaries.
 */
final class RedisProvisioner {

    private static final int DEFAULT_PORT = 6379;

    private final boolean containers;
    private final Log log;

    RedisProvisioner(DevServicesSettings settings, Log log) {
        this.containers = settings.containers();
        this.log = log;
    }

    ServiceAddress provide() {
        List<String> attempts = new ArrayList<>();
        ServiceAddress address = locate(attempts);
        log.info("Redis for this run: %s:%d (%s)".formatted(address.host(), address.port(), address.origin()));
        return address;
    }

    private ServiceAddress locate(List<String> attempts) {
        if (containers) {
            ServiceAddress container = ContainerServices.redis(attempts);
            if (container != null) {
                return container;
            }
        }
        if (Ports.isOpen("127.0.0.1", DEFAULT_PORT)) {
            return new ServiceAddress("127.0.0.1", DEFAULT_PORT, "already running");
        }
        attempts.add("a Redis server on 127.0.0.1:" + DEFAULT_PORT + ": nothing listens there");
        int port = Ports.free();
        File onPath = findOnPath("redis-server");
        if (onPath != null) {
            try {
                startFromPath(onPath, port);
                return new ServiceAddress("127.0.0.1", port, "redis-server from PATH, started by this run");
            } catch (IOException | RuntimeException e) {
                attempts.add(onPath + ": " + e.getMessage());
            }
        } else {
            attempts.add("redis-server on PATH: not found");
        }
        try {
            RedisServer server = RedisServer.newRedisServer().bind("127.0.0.1").port(port).setting("save \"\"").build();
            server.start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> stopQuietly(server), "stop-embedded-redis"));
            return new ServiceAddress("127.0.0.1", port, "embedded, started by this run");
        } catch (IOException | RuntimeException e) {
            attempts.add("embedded Redis (com.github.codemonstur:embedded-redis): " + e.getMessage());
            throw new DevServiceUnavailableException("Redis", attempts, """
                    Start Redis on 127.0.0.1:6379 (e.g. 'redis-server --daemonize yes --port 6379 --save ""'), \
                    or set spring.data.redis.host and spring.data.redis.port to an existing server.""");
        }
    }

    private static void startFromPath(File executable, int port) throws IOException {
        Process process = new ProcessBuilder(executable.getPath(), "--bind", "127.0.0.1", "--port", String.valueOf(port),
                "--save", "", "--appendonly", "no")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroy, "stop-redis-server"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!Ports.isOpen("127.0.0.1", port)) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                process.destroy();
                throw new IOException("did not start listening on port " + port);
            }
            sleep();
        }
    }

    private static File findOnPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String directory : path.split(File.pathSeparator)) {
            File candidate = new File(directory, name);
            if (candidate.canExecute()) {
                return candidate;
            }
        }
        return null;
    }

    private static void sleep() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for redis-server", e);
        }
    }

    private static void stopQuietly(RedisServer server) {
        try {
            server.stop();
        } catch (IOException ignored) {
            // the JVM is exiting anyway
        }
    }
}
