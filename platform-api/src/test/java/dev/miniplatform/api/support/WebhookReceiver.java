package dev.miniplatform.api.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * A real HTTP receiver on loopback, standing in for an ISV's server: {@code /hooks} records every webhook request
 * (and can be told to fail the next N), {@code /callback} is the OAuth redirect URI (never actually called: the
 * test reads the code from Keycloak's redirect). Two hostile endpoints: {@code /redirect} answers 307 to
 * {@code /hooks}, {@code /endless} answers 200 with a body that never ends.
 */
public final class WebhookReceiver implements AutoCloseable {

    public record Received(Map<String, String> headers, String body, Instant at) {

        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger failuresToAnswer = new AtomicInteger();
    private final AtomicReference<Predicate<String>> toHang = new AtomicReference<>();
    private final CountDownLatch release = new CountDownLatch(1);

    private WebhookReceiver(HttpServer server) {
        this.server = server;
    }

    public static WebhookReceiver start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            WebhookReceiver receiver = new WebhookReceiver(server);
            server.createContext("/hooks", receiver::hook);
            server.createContext("/callback", exchange -> answer(exchange, 200));
            server.createContext("/redirect", receiver::redirect);
            server.createContext("/endless", WebhookReceiver::endless);
            // a hanging request must not hold up the next one
            server.setExecutor(Executors.newCachedThreadPool());
            server.start();
            return receiver;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** The next {@code count} webhook requests are answered 500 (and still recorded). */
    public void failNext(int count) {
        failuresToAnswer.set(count);
    }

    /**
     * The first webhook request whose body matches is recorded and then never answered (until {@link #close()}),
     * like a receiver that is slow while the sending node dies. Other requests (an earlier event still on its way)
     * are answered as usual.
     */
    public void hangFirst(Predicate<String> body) {
        toHang.set(body);
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    /** Waits until a request matching the predicate has arrived. */
    public Received await(Predicate<Received> matching, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            for (Received each : received) {
                if (matching.test(each)) {
                    return each;
                }
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("no matching webhook within " + timeout + "; received: "
                + received.stream().map(Received::body).toList());
    }

    private void hook(HttpExchange exchange) throws IOException {
        String body;
        try (InputStream in = exchange.getRequestBody()) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Map<String, String> headers = exchange.getRequestHeaders().entrySet().stream()
                .collect(Collectors.toMap(e -> e.getKey().toLowerCase(Locale.ROOT), e -> String.join(",", e.getValue()),
                        (a, b) -> a));
        received.add(new Received(headers, body, Instant.now()));
        Predicate<String> hang = toHang.get();
        if (hang != null && hang.test(body) && toHang.compareAndSet(hang, null)) {
            try {
                release.await(120, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        answer(exchange, failuresToAnswer.getAndUpdate(n -> Math.max(0, n - 1)) > 0 ? 500 : 200);
    }

    /** A sender that followed this would deliver to {@code /hooks} (recorded there). */
    private void redirect(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            in.readAllBytes();
        }
        exchange.getResponseHeaders().set("Location", url("/hooks"));
        answer(exchange, 307);
    }

    /** A sender that reads the body reads until its own time limit; this stops when it hangs up (or after a minute). */
    private static void endless(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            in.readAllBytes();
        }
        byte[] chunk = new byte[64 * 1024];
        Instant deadline = Instant.now().plusSeconds(60);
        exchange.sendResponseHeaders(200, 0);
        try (OutputStream out = exchange.getResponseBody()) {
            while (Instant.now().isBefore(deadline)) {
                out.write(chunk);
                out.flush();
            }
        } catch (IOException hungUp) {
            // what a sender that does not read the body does
        }
    }

    private static void answer(HttpExchange exchange, int status) throws IOException {
        byte[] text = "ok".getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, text.length);
        exchange.getResponseBody().write(text);
        exchange.close();
    }

    @Override
    public void close() {
        release.countDown();
        server.stop(0);
    }
}
