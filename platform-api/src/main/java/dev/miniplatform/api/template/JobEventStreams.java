package dev.miniplatform.api.template;

import dev.miniplatform.auth.principal.CurrentPrincipal;
import dev.miniplatform.auth.principal.PlatformPrincipal;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponseException;
import reactor.core.publisher.Flux;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Bounds the Server-Sent Events streams of batch jobs on this node ({@code platform.batch.streams.*}): each open
 * stream polls the database, so their number is what costs, not the request that opened them. A stream is counted
 * from its subscription until it ends, for its caller and for the node; one more than either allows is a 429
 * problem before anything is read. Every stream ends after the maximum lifetime, and when its job ends.
 * <p>
 * Counted per node, in memory: the node protects its own database pool and event loops, and nothing is left to
 * clean up when a node dies. A caller may therefore hold {@code max-per-caller} streams on each node.
 */
@Component
class JobEventStreams {

    /** Seconds a refused client is asked to wait: streams end within the lifetime, most far sooner. */
    private static final String RETRY_AFTER_SECONDS = "5";

    private final BatchStreamProperties limits;
    private final AtomicInteger open = new AtomicInteger();
    private final ConcurrentHashMap<String, Integer> openByCaller = new ConcurrentHashMap<>();
    private final Counter refused;

    JobEventStreams(BatchStreamProperties limits, MeterRegistry meters) {
        this.limits = limits;
        Gauge.builder("platform.batch.streams.open", open, AtomicInteger::get)
                .description("batch-job event streams open on this node")
                .register(meters);
        this.refused = Counter.builder("platform.batch.streams.refused")
                .description("batch-job event streams refused because the caller or the node had as many open as allowed")
                .register(meters);
    }

    /** The stream, counted for the current caller while it is open and ended after the maximum lifetime; or a 429. */
    <T> Flux<T> bounded(Flux<T> stream) {
        return CurrentPrincipal.get()
                .map(PlatformPrincipal::actorId)
                .defaultIfEmpty("anonymous")
                .flatMapMany(caller -> bounded(caller, stream));
    }

    <T> Flux<T> bounded(String caller, Flux<T> stream) {
        return Flux.defer(() -> {
            admit(caller);
            return stream
                    .take(limits.maxLifetime())
                    .doFinally(signal -> release(caller));
        });
    }

    int open() {
        return open.get();
    }

    private void admit(String caller) {
        if (open.incrementAndGet() > limits.maxPerNode()) {
            open.decrementAndGet();
            throw refusal("This node has as many event streams open as it serves; try again later, or read the job with GET.");
        }
        if (openByCaller.merge(caller, 1, Integer::sum) > limits.maxPerCaller()) {
            release(caller);
            throw refusal("You have " + limits.maxPerCaller() + " event streams open; close one before opening another.");
        }
    }

    private void release(String caller) {
        openByCaller.computeIfPresent(caller, (key, count) -> count == 1 ? null : count - 1);
        open.decrementAndGet();
    }

    private ErrorResponseException refusal(String detail) {
        refused.increment();
        ErrorResponseException refusal = new ErrorResponseException(HttpStatus.TOO_MANY_REQUESTS,
                ProblemDetail.forStatusAndDetail(HttpStatus.TOO_MANY_REQUESTS, detail), null);
        refusal.getHeaders().set(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS);
        return refusal;
    }
}
