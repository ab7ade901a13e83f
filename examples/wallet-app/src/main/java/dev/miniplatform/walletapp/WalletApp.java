package dev.miniplatform.walletapp;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.miniplatform.walletsdk.CatalogMirror;
import dev.miniplatform.walletsdk.WalletApiException;
import dev.miniplatform.walletsdk.WalletClient;
import dev.miniplatform.walletsdk.WalletMiniProgram;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;

/**
 * An example wallet back end. It mirrors the catalog released to its wallet and serves, from that mirror:
 * <ul>
 *   <li>{@code GET /mini-programs/{appId}?lang=en-US} the mirror's answer (404 if not in it);</li>
 *   <li>{@code GET /mini-programs/{appId}?userId=u-1} the answer for that user (gray and pilot rules) straight from
 *       the platform, falling back to the mirror's when the platform cannot be reached;</li>
 *   <li>{@code GET /status}: size of the mirror and when it last caught up.</li>
 * </ul>
 * Configured from the environment: PLATFORM_URL, KEYCLOAK_TOKEN_URL, WALLET_CLIENT_ID, WALLET_CLIENT_SECRET,
 * WALLET_ENVIRONMENT (PROD), PORT (8090).
 */
public final class WalletApp {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final CatalogMirror mirror;
    private final WalletClient client;

    private WalletApp(WalletClient client, CatalogMirror mirror) {
        this.client = client;
        this.mirror = mirror;
    }

    public static void main(String[] args) throws IOException {
        WalletClient client = WalletClient.builder()
                .baseUrl(env("PLATFORM_URL", "http://127.0.0.1:8080"))
                .tokenUrl(env("KEYCLOAK_TOKEN_URL", "http://127.0.0.1:8180/realms/platform/protocol/openid-connect/token"))
                .clientId(required("WALLET_CLIENT_ID"))
                .clientSecret(required("WALLET_CLIENT_SECRET"))
                .environment(env("WALLET_ENVIRONMENT", "PROD"))
                .callTimeout(Duration.ofSeconds(2))
                .build();
        CatalogMirror mirror = CatalogMirror.builder(client)
                .languages(Locale.forLanguageTag("en-US"), Locale.forLanguageTag("zh-CN"))
                .pollInterval(Duration.ofSeconds(2))
                .build()
                .start();
        int port = Integer.parseInt(env("PORT", "8090"));
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        WalletApp app = new WalletApp(client, mirror);
        server.createContext("/mini-programs/", app::miniProgram);
        server.createContext("/status", app::status);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
        System.out.println("Example wallet on http://127.0.0.1:" + port + " (environment " + client.environment() + ")");
    }

    private void miniProgram(HttpExchange exchange) throws IOException {
        String appId = exchange.getRequestURI().getPath().substring("/mini-programs/".length());
        Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
        Locale language = Locale.forLanguageTag(query.getOrDefault("lang", "en-US"));
        Optional<WalletMiniProgram> answer = query.containsKey("userId")
                ? forUser(appId, query.get("userId"), language)
                : mirror.get(appId, language);
        if (answer.isEmpty()) {
            send(exchange, 404, Map.of("error", "not released to this wallet", "appId", appId));
            return;
        }
        send(exchange, 200, answer.get());
    }

    /** A gray or pilot user may run a newer version than the mirror's full release: ask, and fall back to the mirror. */
    private Optional<WalletMiniProgram> forUser(String appId, String userId, Locale language) {
        try {
            return client.get(appId, userId, language);
        } catch (WalletApiException e) {
            return mirror.get(appId, language);
        }
    }

    private void status(HttpExchange exchange) throws IOException {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("mirrored", mirror.size());
        status.put("lastSyncedAt", mirror.lastSyncedAt().map(Object::toString).orElse(null));
        status.put("lastSyncAgeSeconds", mirror.lastSyncedAt().isPresent() ? mirror.lastSyncAge().toSeconds() : null);
        send(exchange, 200, status);
    }

    private static void send(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> parameters = new LinkedHashMap<>();
        if (raw == null) {
            return parameters;
        }
        for (String pair : raw.split("&")) {
            int equals = pair.indexOf('=');
            if (equals > 0) {
                parameters.put(URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
            }
        }
        return parameters;
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    private static String required(String name) {
        String value = System.getenv(name);
        if (value == null || value.isBlank()) {
            System.err.println(name + " is required (bin/run prints the demo wallet's client id and secret)");
            System.exit(2);
        }
        return value;
    }
}
