package dev.miniplatform.api.webhook;

import dev.miniplatform.api.isv.IsvProperties;
import dev.miniplatform.model.isv.PublicAddress;
import dev.miniplatform.model.isv.WebhookUrl;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import io.micrometer.observation.transport.Kind;
import io.micrometer.observation.transport.SenderContext;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.resolver.HostsFileEntriesResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;
import reactor.util.context.ContextView;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * POSTs one webhook to an ISV's endpoint without letting the ISV aim the platform at the platform's own network.
 * <ul>
 *     <li>The host is resolved when the webhook is sent, and only public addresses ({@link PublicAddress}) are
 *     connected to. The check runs on the very addresses reactor-netty is about to connect to (its resolved-address
 *     selector, which also sees a literal address that needed no lookup), so no second lookup could answer
 *     differently (DNS rebinding). TLS still uses the host name: SNI and certificate verification take it from the
 *     URL, not from the address.</li>
 *     <li>No redirect is followed, no connection is pooled or reused, and the response body is never read: the status
 *     line is all the platform needs, and closing the connection bounds what a hostile endpoint can make it read.
 *     One time limit covers resolving, connecting, TLS, sending and the response headers.</li>
 *     <li>What the ISV sees is its endpoint's HTTP status, or one of three fixed reasons. Low-level errors (refused,
 *     reset, timed out, TLS alerts) would tell open, closed and filtered ports of any host apart, so they go to the
 *     platform's log only. A host that does not resolve and one that resolves to a refused address read the same,
 *     so the log does not reveal which internal names exist either.</li>
 * </ul>
 * The local-development exception ({@code platform.isv.webhook-allow-loopback-http}) admits exactly the URLs it
 * names, {@code http://} to a loopback literal; a name that resolves to loopback is refused like any other.
 */
@Component
class WebhookSender implements DisposableBean {

    static final String URL_NOT_ALLOWED = "not sent: the webhook URL is not allowed";
    static final String ADDRESS_REFUSED = "not sent: the webhook host does not resolve to a public address";
    static final String NO_RESPONSE = "no HTTP response from the webhook endpoint (connection, TLS or timeout)";

    private static final Logger log = LoggerFactory.getLogger(WebhookSender.class);

    /** What one attempt came to, as the delivery log records it. */
    record Outcome(boolean delivered, Integer status, String error) {

        static Outcome answered(int status) {
            boolean delivered = status >= 200 && status < 300;
            return new Outcome(delivered, status, delivered ? null : "HTTP " + status);
        }

        static Outcome notSent(String reason) {
            return new Outcome(false, null, reason);
        }
    }

    private final IsvProperties properties;
    private final HttpClient client;
    private final ObservationRegistry observations;
    /**
     * Webhook I/O runs on an event loop of its own: a slow or hostile ISV endpoint never shares the loops that serve
     * API requests, and the DNS resolver bound to these loops lives exactly as long as this bean (the global
     * resources can be disposed under it by another application context in the same JVM, seen in the test suite).
     */
    private final LoopResources loops = LoopResources.create("webhook-delivery", 1, true);

    /** @param hosts fixed answers for host names ahead of DNS; tests map a name to loopback with it */
    WebhookSender(IsvProperties properties, ObjectProvider<HostsFileEntriesResolver> hosts,
                  ObservationRegistry observations) {
        this.properties = properties;
        this.observations = observations;
        HostsFileEntriesResolver hostsFile = hosts.getIfAvailable(() -> HostsFileEntriesResolver.DEFAULT);
        this.client = HttpClient.create(ConnectionProvider.newConnection())
                .runOn(loops)
                .resolver(spec -> spec.hostsFileEntriesResolver(hostsFile)
                        .queryTimeout(properties.deliveryTimeout())
                        // a webhook host is a full name: "hooks.corp" must not become "hooks.corp.<our domain>"
                        .searchDomains(List.of()))
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) properties.deliveryTimeout().toMillis())
                .responseTimeout(properties.deliveryTimeout())
                .followRedirect(false)
                .disableRetry(true);
    }

    @Override
    public void destroy() {
        loops.disposeLater().block(properties.deliveryTimeout());
    }

    /**
     * POSTs the webhook, observed as a {@code webhook.request} client span (a child of the subscriber's observation,
     * the delivery's) whose W3C {@code traceparent} goes out with the headers: a receiver that traces continues the
     * delivery's trace.
     */
    Mono<Outcome> post(String url, Map<String, String> headers, String body) {
        boolean allowLoopback = properties.webhookAllowLoopbackHttp();
        if (WebhookUrl.problem(url, allowLoopback).isPresent()) {
            // registered before the rules of WebhookUrl existed
            return Mono.just(Outcome.notSent(URL_NOT_ALLOWED));
        }
        URI uri = URI.create(url);
        boolean loopbackAllowed = allowLoopback && WebhookUrl.isLoopbackHttp(uri);
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return Mono.deferContextual(context -> {
            Map<String, String> outgoing = new LinkedHashMap<>(headers);
            // started before the request is built: starting it writes the trace context into the outgoing headers
            Observation request = requestObservation(uri, outgoing, context).start();
            return send(uri, outgoing, bytes, loopbackAllowed)
                    .doOnNext(outcome -> describe(request, outcome))
                    .doFinally(signal -> request.stop());
        });
    }

    private Observation requestObservation(URI uri, Map<String, String> carrier, ContextView subscriber) {
        SenderContext<Map<String, String>> sending = new SenderContext<>(Map::put, Kind.CLIENT);
        sending.setCarrier(carrier);
        sending.setRemoteServiceName(uri.getHost());
        return Observation.createNotStarted("webhook.request", () -> sending, observations)
                .contextualName("POST")
                .parentObservation(subscriber.getOrDefault(ObservationThreadLocalAccessor.KEY, null))
                .lowCardinalityKeyValue("http.request.method", "POST")
                .highCardinalityKeyValue("server.address", uri.getHost());
    }

    /** The outcome as a low-cardinality key (also on the timer), the status code on the span only. */
    private static void describe(Observation request, Outcome outcome) {
        request.lowCardinalityKeyValue("outcome", outcome.delivered() ? "DELIVERED"
                : outcome.status() == null ? "NOT_SENT" : "REFUSED");
        if (outcome.status() != null) {
            request.highCardinalityKeyValue("http.response.status_code", outcome.status().toString());
        }
    }

    private Mono<Outcome> send(URI uri, Map<String, String> headers, byte[] bytes, boolean loopbackAllowed) {
        return client.resolvedAddressesSelector((config, resolved) -> allowed(uri, resolved, loopbackAllowed))
                .headers(outgoing -> {
                    headers.forEach(outgoing::set);
                    outgoing.set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
                    outgoing.setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
                    outgoing.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
                })
                .post()
                .uri(uri)
                .send((request, outbound) -> outbound.sendByteArray(Mono.just(bytes)))
                .response()
                .map(response -> Outcome.answered(response.status().code()))
                .timeout(properties.deliveryTimeout())
                .onErrorResume(failure -> Mono.just(notAnswered(uri, failure)));
    }

    /** The addresses that may be connected to; none left makes reactor-netty fail with an UnknownHostException. */
    private static List<? extends SocketAddress> allowed(URI uri, List<? extends SocketAddress> resolved,
                                                        boolean loopbackAllowed) {
        List<? extends SocketAddress> allowed = resolved.stream()
                .filter(address -> address instanceof InetSocketAddress inet && inet.getAddress() != null
                        && allowed(inet.getAddress(), loopbackAllowed))
                .toList();
        if (allowed.size() < resolved.size()) {
            log.info("Webhook host {} resolved to {}; refused every address that is not public", uri.getHost(), resolved);
        }
        return allowed;
    }

    private static boolean allowed(InetAddress address, boolean loopbackAllowed) {
        return PublicAddress.isPublic(address) || loopbackAllowed && address.isLoopbackAddress();
    }

    private static Outcome notAnswered(URI uri, Throwable failure) {
        if (causedBy(failure, UnknownHostException.class)) {
            return Outcome.notSent(ADDRESS_REFUSED);
        }
        log.debug("Webhook to {} got no HTTP response: {}", uri.getHost(), failure.toString());
        return Outcome.notSent(NO_RESPONSE);
    }

    private static boolean causedBy(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }
}
