package dev.miniplatform.devservices;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds a JDK of at least a given feature version, for child processes (Keycloak) that need one: JAVA_HOME
 * first, then the running JVM, then the newest JDK under /usr/lib/jvm.
 */
final class JavaHomes {

    private static final Pattern VERSION = Pattern.compile("JAVA_VERSION=\"(\\d+)");

    private JavaHomes() {
    }

    static Path atLeast(int feature) {
        return Stream.of(fromEnvironment(), Optional.of(Path.of(System.getProperty("java.home"))))
                .flatMap(Optional::stream)
                .filter(home -> featureOf(home) >= feature)
                .findFirst()
                .orElseGet(() -> newestInstalled(feature));
    }

    private static Optional<Path> fromEnvironment() {
        return Optional.ofNullable(System.getenv("JAVA_HOME")).map(Path::of);
    }

    private static Path newestInstalled(int feature) {
        Path jvms = Path.of("/usr/lib/jvm");
        if (!Files.isDirectory(jvms)) {
            return null;
        }
        try (Stream<Path> homes = Files.list(jvms)) {
            return homes.filter(home -> featureOf(home) >= feature)
                    .max(Comparator.comparingInt(JavaHomes::featureOf))
                    .orElse(null);
        } catch (IOException e) {
            return null;
        }
    }

    private static int featureOf(Path home) {
        Path release = home.resolve("release");
        if (!Files.isExecutable(home.resolve("bin/java")) || !Files.isReadable(release)) {
            return 0;
        }
        try {
            Matcher matcher = VERSION.matcher(Files.readString(release));
            return matcher.find() ? Integer.parseInt(matcher.group(1)) : 0;
        } catch (IOException e) {
            return 0;
        }
    }
}
