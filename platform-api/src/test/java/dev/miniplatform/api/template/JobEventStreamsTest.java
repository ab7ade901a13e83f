package dev.miniplatform.api.template;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class JobEventStreamsTest {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final JobEventStreams streams = new JobEventStreams(new BatchStreamProperties(2, 3, Duration.ofMinutes(5)), meters);
    private final List<Disposable> held = new ArrayList<>();

    @Test
    void aCallerHoldsAtMostItsShareAndTheNodeAtMostItsTotal() {
        hold("alice");
        hold("alice");
        assertRefused("alice", "You have 2 event streams open");
        hold("bob");
        assertRefused("carol", "This node has as many event streams open");
        assertThat(streams.open()).isEqualTo(3);
        assertThat(meters.counter("platform.batch.streams.refused").count()).isEqualTo(2);

        // a stream that ends gives its place back, to its caller and to the node
        held.getFirst().dispose();
        assertThat(streams.open()).isEqualTo(2);
        hold("carol");
        assertRefused("alice", "This node has as many event streams open");
    }

    @Test
    void aStreamIsCountedUntilItCompletesOrFails() {
        Sinks.Many<String> job = Sinks.many().unicast().onBackpressureBuffer();
        StepVerifier.create(streams.bounded("alice", job.asFlux()))
                .then(() -> assertThat(streams.open()).isEqualTo(1))
                .then(() -> job.tryEmitNext("RUNNING"))
                .expectNext("RUNNING")
                .then(job::tryEmitComplete)
                .verifyComplete();
        assertThat(streams.open()).isZero();
        StepVerifier.create(streams.bounded("alice", Flux.<String>error(new IllegalStateException("job not found"))))
                .verifyError(IllegalStateException.class);
        assertThat(streams.open()).isZero();
    }

    @Test
    void aStreamEndsAfterItsLifetimeWhileItsJobStillRuns() {
        StepVerifier.withVirtualTime(() -> streams.bounded("alice", Flux.never()))
                .expectSubscription()
                .expectNoEvent(Duration.ofMinutes(4))
                .thenAwait(Duration.ofMinutes(1))
                .verifyComplete();
        assertThat(streams.open()).isZero();
    }

    private void hold(String caller) {
        held.add(streams.bounded(caller, Flux.never()).subscribe());
    }

    private void assertRefused(String caller, String detail) {
        StepVerifier.create(streams.bounded(caller, Flux.never()))
                .verifyErrorSatisfies(error -> {
                    assertThat(error).isInstanceOf(ErrorResponseException.class);
                    ErrorResponseException refusal = (ErrorResponseException) error;
                    assertThat(refusal.getStatusCode()).isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
                    assertThat(refusal.getBody().getDetail()).startsWith(detail);
                    assertThat(refusal.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("5");
                });
    }
}
