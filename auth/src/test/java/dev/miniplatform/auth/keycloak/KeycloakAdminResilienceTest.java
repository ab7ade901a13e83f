package dev.miniplatform.auth.keycloak;

import dev.miniplatform.auth.config.KeycloakAdminProperties;
import dev.miniplatform.auth.config.KeycloakProperties;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The admin client against a "Keycloak" that accepts connections and never answers: each call ends at the read
 * timeout, and after enough failures the breaker refuses calls at once, without touching the network.
 */
class KeycloakAdminResilienceTest {

    private ServerSocket silent;
    private KeycloakAdmin admin;

    @AfterEach
    void close() throws IOException {
        if (admin != null) {
            admin.destroy();
        }
        if (silent != null) {
            silent.close();
        }
    }

    @Test
    void aSilentKeycloakCostsTheReadTimeoutThenTheOpenBreakerAnswersAtOnce() throws IOException {
        silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptAndIgnore, "silent-keycloak");
        acceptor.setDaemon(true);
        acceptor.start();
        admin = new KeycloakAdmin(
                new KeycloakProperties("http://127.0.0.1:" + silent.getLocalPort(), "platform", "platform-api",
                        Set.of("platform-console"), Set.of(), "isv-", "wallet-", "ci-", "platform-backend", "secret"),
                new KeycloakAdminProperties("", Duration.ofMillis(500), Duration.ofMillis(400), 4,
                        new KeycloakAdminProperties.Breaker(4, 2, 50, Duration.ofSeconds(30), 1)),
                ObservationRegistry.NOOP);

        for (int i = 0; i < 2; i++) {
            long start = System.nanoTime();
            Throwable failure = catchThrowable(() -> admin.call(realm -> realm.toRepresentation()).block(Duration.ofSeconds(10)));
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertThat(failure).isInstanceOf(IdentityServiceException.class);
            assertThat(took).isBetween(Duration.ofMillis(350), Duration.ofSeconds(3));
        }
        assertThat(admin.breakerState()).isEqualTo("OPEN");

        long start = System.nanoTime();
        Throwable refused = catchThrowable(() -> admin.call(realm -> realm.toRepresentation()).block(Duration.ofSeconds(10)));
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(refused).isInstanceOf(IdentityServiceException.class).hasCauseInstanceOf(CallNotPermittedException.class);
        assertThat(((IdentityServiceException) refused).retryAfter()).isEqualTo(Duration.ofSeconds(30));
        assertThat(took).isLessThan(Duration.ofMillis(200));
    }

    @Test
    void aKeycloakAnsweringFourHundredsIsAliveAndKeepsTheBreakerClosed() {
        jakarta.ws.rs.NotFoundException notFound = new jakarta.ws.rs.NotFoundException();
        jakarta.ws.rs.ProcessingException unreachable = new jakarta.ws.rs.ProcessingException("connect timed out");
        jakarta.ws.rs.InternalServerErrorException serverError = new jakarta.ws.rs.InternalServerErrorException();

        assertThat(KeycloakAdmin.meansKeycloakIsDown(notFound)).isFalse();
        assertThat(KeycloakAdmin.meansKeycloakIsDown(unreachable)).isTrue();
        assertThat(KeycloakAdmin.meansKeycloakIsDown(serverError)).isTrue();
    }

    private void acceptAndIgnore() {
        while (!silent.isClosed()) {
            try {
                Socket socket = silent.accept();
                Thread reader = new Thread(() -> drain(socket), "silent-keycloak-conn");
                reader.setDaemon(true);
                reader.start();
            } catch (IOException closed) {
                return;
            }
        }
    }

    private static void drain(Socket socket) {
        try (InputStream in = socket.getInputStream()) {
            while (in.read() >= 0) {
                // never answer
            }
        } catch (IOException ignored) {
            // closed
        }
    }
}
