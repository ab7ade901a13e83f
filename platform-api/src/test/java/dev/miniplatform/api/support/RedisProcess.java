package dev.miniplatform.api.support;

import java.io.File;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A real {@code redis-server} on a port of its own, started by a test that needs to stop, freeze or cluster Redis
 * (never the shared one). No persistence; its directory is under /tmp.
 */
public final class RedisProcess {

    private final int port;
    private final boolean cluster;
    private final Path dir;
    private Process process;

    private RedisProcess(int port, boolean cluster) throws IOException {
        this.port = port;
        this.cluster = cluster;
        this.dir = Files.createTempDirectory("wallet-redis-" + port + "-");
    }

    public static boolean installed() {
        return onPath("redis-server") && onPath("redis-cli");
    }

    public static RedisProcess start(int port, boolean cluster) throws IOException {
        RedisProcess redis = new RedisProcess(port, cluster);
        redis.start();
        return redis;
    }

    public int port() {
        return port;
    }

    public synchronized void start() throws IOException {
        List<String> command = new ArrayList<>(List.of("redis-server", "--port", Integer.toString(port),
                "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir.toString()));
        if (cluster) {
            command.addAll(List.of("--cluster-enabled", "yes", "--cluster-config-file", "nodes-" + port + ".conf",
                    "--cluster-node-timeout", "2000"));
        }
        process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("redis.log").toFile())
                .start();
        awaitPort(true);
    }

    /** Kills the server (SIGKILL): connections drop at once. */
    public synchronized void kill() {
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        awaitPort(false);
    }

    /** SIGSTOP: the server keeps its connections and data but answers nothing (a hung Redis). */
    public void freeze() throws IOException, InterruptedException {
        signal("STOP");
    }

    public void thaw() throws IOException, InterruptedException {
        signal("CONT");
    }

    private void signal(String name) throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start().waitFor();
    }

    public String cli(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("redis-cli", "-p", Integer.toString(port)));
        if (cluster) {
            command.add("-c");
        }
        command.addAll(List.of(args));
        Process cli = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(cli.getInputStream().readAllBytes()).trim();
        cli.waitFor();
        return out;
    }

    /** Forms a cluster of the given servers, no replicas. */
    public static void createCluster(List<RedisProcess> nodes) throws IOException, InterruptedException {
        createCluster(nodes, 0);
    }

    /**
     * Forms a cluster of the given servers with {@code replicasPerMaster} replicas for each master (redis-cli makes the
     * first {@code nodes / (replicas + 1)} servers masters).
     */
    public static void createCluster(List<RedisProcess> nodes, int replicasPerMaster) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
        nodes.forEach(node -> command.add("127.0.0.1:" + node.port()));
        command.addAll(List.of("--cluster-replicas", Integer.toString(replicasPerMaster), "--cluster-yes"));
        Process create = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(create.getInputStream().readAllBytes());
        if (create.waitFor() != 0) {
            throw new IllegalStateException("redis-cli --cluster create failed: " + out);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!nodes.stream().allMatch(RedisProcess::clusterOk)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the cluster did not become ok");
            }
            Thread.sleep(200);
        }
    }

    /** Whether this node sees the cluster as ok (every slot served), false when it does not answer. */
    public boolean clusterOk() {
        try {
            return cli("cluster", "info").contains("cluster_state:ok");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** "master" or "slave" (the first line of ROLE); empty when the server does not answer. */
    public String role() throws IOException, InterruptedException {
        String out = cli("role");
        return out.isEmpty() ? "" : out.lines().findFirst().orElse("");
    }

    public boolean alive() {
        return process != null && process.isAlive();
    }

    public void stop() {
        if (process != null && process.isAlive()) {
            try {
                thaw();
            } catch (IOException | InterruptedException ignored) {
                // best effort: a frozen process must be continued to die of SIGKILL cleanly
            }
            kill();
        }
    }

    /** Stops the server and deletes its directory (log, cluster config): for a test's clean-up, after which it is gone. */
    public void destroy() {
        stop();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        } catch (IOException ignored) {
            // a directory left in /tmp is harmless
        }
    }

    private void awaitPort(boolean open) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            if (isOpen() == open) {
                return;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        throw new IllegalStateException("redis-server on " + port + " did not " + (open ? "start" : "stop"));
    }

    private boolean isOpen() {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (new File(dir, name).canExecute()) {
                return true;
            }
        }
        return false;
    }
}
