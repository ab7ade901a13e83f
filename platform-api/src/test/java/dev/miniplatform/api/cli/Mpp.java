package dev.miniplatform.api.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The developer CLI ({@code cli/bin/mpp.js}) as a developer runs it: {@code node} in a subprocess, with a home and
 * configuration folder of its own (so its stored login is this person's only), and nothing else set.
 */
final class Mpp {

    static final Path SCRIPT = Path.of("..", "cli", "bin", "mpp.js").toAbsolutePath().normalize();

    record Run(int exit, String stdout, String stderr) {

        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
        }
    }

    /** Own threads: the common pool may have one thread on a small machine, and a login run waits on two readers. */
    private static final ExecutorService THREADS = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "mpp-process");
        thread.setDaemon(true);
        return thread;
    });

    private final Path home;
    private final Map<String, String> environment;

    Mpp(Path home) {
        this(home, Map.of());
    }

    /** @param environment variables set for every run, e.g. {@code MPP_KEY} (other {@code MPP_} ones are removed) */
    Mpp(Path home, Map<String, String> environment) {
        this.home = home;
        this.environment = environment;
    }

    Path configDirectory() {
        return home.resolve(".config/mpp");
    }

    Run run(String... arguments) {
        return run(line -> { }, arguments);
    }

    /** Runs to the end; {@code onStderrLine} sees each line the CLI writes to stderr as it comes (login prints its code there). */
    Run run(Consumer<String> onStderrLine, String... arguments) {
        List<String> command = new ArrayList<>(List.of("node", SCRIPT.toString()));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).directory(home.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("MPP_"));
        builder.environment().put("HOME", home.toString());
        builder.environment().put("XDG_CONFIG_HOME", home.resolve(".config").toString());
        builder.environment().putAll(environment);
        try {
            Files.createDirectories(home);
            Process process = builder.start();
            process.getOutputStream().close();
            CompletableFuture<String> stdout = CompletableFuture.supplyAsync(() -> read(process.getInputStream(), line -> { }), THREADS);
            CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> read(process.getErrorStream(), onStderrLine), THREADS);
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("mpp " + String.join(" ", arguments) + " did not end within 120 s");
            }
            return new Run(process.exitValue(), stdout.get(10, TimeUnit.SECONDS), stderr.get(10, TimeUnit.SECONDS));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Starts {@code mpp login} and hands back its stderr lines as they come, for the test to act on the code. */
    CompletableFuture<Run> start(BlockingQueue<String> stderrLines, String... arguments) {
        return CompletableFuture.supplyAsync(() -> run(stderrLines::add, arguments), THREADS);
    }

    static BlockingQueue<String> lines() {
        return new LinkedBlockingQueue<>();
    }

    private static String read(InputStream in, Consumer<String> onLine) {
        StringBuilder all = new StringBuilder();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                all.append(line).append('\n');
                onLine.accept(line);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return all.toString();
    }
}
