package dev.miniplatform.api.support;

import dev.miniplatform.api.PlatformApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.web.reactive.server.WebTestClient;

import java.time.Duration;

/**
 * One more API node in the test JVM: the real application on its own port, sharing the run's PostgreSQL database
 * and Keycloak (dev services provision them once per JVM) and using the Redis the test names.
 */
public final class Node implements AutoCloseable {

    private final ConfigurableApplicationContext context;
    private final WebTestClient api;
    private final org.springframework.web.reactive.function.client.WebClient client;
    private final int port;

    private Node(ConfigurableApplicationContext context) {
        this.context = context;
        this.port = ((WebServerApplicationContext) context).getWebServer().getPort();
        this.api = WebTestClient.bindToServer()
                .baseUrl("http://127.0.0.1:" + port)
                .responseTimeout(Duration.ofSeconds(30))
                .build();
        this.client = org.springframework.web.reactive.function.client.WebClient.create("http://127.0.0.1:" + port);
    }

    /** A plain reactive client, for load that must not block the caller. */
    public org.springframework.web.reactive.function.client.WebClient client() {
        return client;
    }

    public static Node start(String... properties) {
        NonBlockingGuard.install();
        // as command-line arguments: they must win over application.yaml (server.port 8080)
        String[] arguments = java.util.stream.Stream.concat(java.util.stream.Stream.of("server.port=0"),
                        java.util.Arrays.stream(properties))
                .map(property -> "--" + property)
                .toArray(String[]::new);
        ConfigurableApplicationContext context = new SpringApplicationBuilder(PlatformApplication.class)
                .profiles("test")
                .run(arguments);
        return new Node(context);
    }

    /** The node's HTTP port on 127.0.0.1, for clients other than {@link #api()} (the wallet SDK). */
    public int port() {
        return port;
    }

    /**
     * Stops the node's HTTP server, as a node that went away, and keeps its context: closing one node's context while
     * others run in the JVM left their servers refusing connections too (seen in WalletSdkOutageIntegrationTest).
     */
    public void stopServer() {
        ((WebServerApplicationContext) context).getWebServer().stop();
    }

    public WebTestClient api() {
        return api;
    }

    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    @Override
    public void close() {
        context.close();
    }
}
