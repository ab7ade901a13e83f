package dev.miniplatform.api.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A PostgreSQL primary and a hot standby streaming from it, of a test's own: started by {@code bin/pg-replica} (the
 * same launcher bin/cluster and developers use) in a temporary directory, on the ports the test names, with a
 * database {@code platform} and the role {@code platform_app}. {@link #close} stops both and deletes the directory;
 * a shutdown hook does the same if the test JVM ends without it.
 */
public final class StreamingReplica implements AutoCloseable {

    private final Path script;
    private final Path dir;
    private final int primaryPort;
    private final int standbyPort;
    private final Thread cleanup;
    private boolean closed;

    private StreamingReplica(Path script, Path dir, int primaryPort, int standbyPort) {
        this.script = script;
        this.dir = dir;
        this.primaryPort = primaryPort;
        this.standbyPort = standbyPort;
        this.cleanup = new Thread(this::stopAndDelete, "stop-streaming-replica");
    }

    /** Whether Debian's PostgreSQL binaries (with pg_basebackup) are installed. */
    public static boolean installed() {
        try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
            return versions.anyMatch(version -> Files.isExecutable(version.resolve("bin/pg_basebackup")));
        } catch (IOException e) {
            return false;
        }
    }

    public static StreamingReplica start(int primaryPort, int standbyPort) throws IOException {
        Path dir = Files.createTempDirectory("pg-replica-");
        StreamingReplica replica = new StreamingReplica(script(), dir, primaryPort, standbyPort);
        Runtime.getRuntime().addShutdownHook(replica.cleanup);
        try {
            replica.run("start", dir.toString(), "--primary-port", Integer.toString(primaryPort),
                    "--standby-port", Integer.toString(standbyPort));
        } catch (RuntimeException e) {
            replica.close();
            throw e;
        }
        return replica;
    }

    /** The application's settings for this pair: the primary for everything, the standby for the wallet path. */
    public List<String> applicationProperties() {
        return List.of(
                "spring.r2dbc.url=r2dbc:postgresql://127.0.0.1:" + primaryPort + "/platform",
                "spring.r2dbc.username=platform_app",
                "spring.r2dbc.password=platform_app",
                "spring.flyway.url=jdbc:postgresql://127.0.0.1:" + primaryPort + "/platform",
                "spring.flyway.user=postgres",
                "spring.flyway.password=",
                "spring.flyway.placeholders.app_role=platform_app",
                "platform.wallet.replica.url=r2dbc:postgresql://127.0.0.1:" + standbyPort + "/platform");
    }

    /** Replay stops where it is; the standby keeps answering with what it has. */
    public void pauseReplay() {
        run("pause", dir.toString());
    }

    public void resumeReplay() {
        run("resume", dir.toString());
    }

    /** SIGKILL to the standby's postmaster and every process of it: a crashed replica. */
    public void killStandby() {
        run("stop-standby", dir.toString(), "--kill");
    }

    public void startStandby() {
        run("start-standby", dir.toString());
    }

    /** Waits until the standby has replayed everything the primary has written by now. */
    public void awaitCaughtUp(Duration within) throws SQLException, InterruptedException {
        String target = single(primaryPort, "select pg_current_wal_lsn()::text");
        long deadline = System.nanoTime() + within.toNanos();
        while (!"t".equals(single(standbyPort, "select pg_last_wal_replay_lsn() >= '" + target + "'::pg_lsn"))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the standby did not replay up to " + target + " within " + within);
            }
            Thread.sleep(50);
        }
    }

    /** One value from the primary or the standby, as the superuser (row-level security does not apply). */
    public String single(int port, String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/platform",
                "postgres", ""); Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery(sql)) {
            return row.next() ? row.getString(1) : null;
        }
    }

    public int primaryPort() {
        return primaryPort;
    }

    public int standbyPort() {
        return standbyPort;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            Runtime.getRuntime().removeShutdownHook(cleanup);
        } catch (IllegalStateException alreadyExiting) {
            // the hook runs (or ran) anyway
        }
        stopAndDelete();
    }

    private void stopAndDelete() {
        try {
            run("stop", dir.toString());
        } catch (RuntimeException e) {
            System.err.println("could not stop the replica pair in " + dir + ": " + e.getMessage());
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            System.err.println("could not delete " + dir + ": " + e.getMessage());
        }
    }

    private void run(String... arguments) {
        List<String> command = new ArrayList<>(List.of(script.toString()));
        command.addAll(List.of(arguments));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            if (process.waitFor() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
            }
        } catch (IOException e) {
            throw new IllegalStateException(String.join(" ", command) + " could not run: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + String.join(" ", command), e);
        }
    }

    /** bin/pg-replica of this checkout, found upwards from the working directory (Maven runs tests in the module). */
    private static Path script() {
        for (Path at = Path.of("").toAbsolutePath(); at != null; at = at.getParent()) {
            Path candidate = at.resolve("bin/pg-replica");
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("bin/pg-replica not found above " + Path.of("").toAbsolutePath());
    }
}
