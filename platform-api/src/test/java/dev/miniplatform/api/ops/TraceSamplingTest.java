package dev.miniplatform.api.ops;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingDecision;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TraceSamplingTest {

    private static final String TRACE = "0af7651916cd43dd8448eb211c80319c";

    @Test
    void aRequestOrJobStartsATraceWithTheConfiguredProbability() {
        assertThat(decide(TraceSampling.of(1.0, false), Context.root(), SpanKind.SERVER)).isEqualTo(SamplingDecision.RECORD_AND_SAMPLE);
        assertThat(decide(TraceSampling.of(1.0, false), Context.root(), SpanKind.INTERNAL)).isEqualTo(SamplingDecision.RECORD_AND_SAMPLE);
        assertThat(decide(TraceSampling.of(0.0, false), Context.root(), SpanKind.SERVER)).isEqualTo(SamplingDecision.DROP);
    }

    @Test
    void aDatabaseOrRedisCallOutsideAnyTraceStartsNone() {
        assertThat(decide(TraceSampling.of(1.0, false), Context.root(), SpanKind.CLIENT)).isEqualTo(SamplingDecision.DROP);
    }

    @Test
    void aCallInsideARecordedTraceIsRecordedWhateverTheProbability() {
        Context recorded = parent(true, false);
        assertThat(decide(TraceSampling.of(0.0, false), recorded, SpanKind.CLIENT)).isEqualTo(SamplingDecision.RECORD_AND_SAMPLE);
        assertThat(decide(TraceSampling.of(1.0, false), parent(false, false), SpanKind.CLIENT)).isEqualTo(SamplingDecision.DROP);
    }

    @Test
    void aCallersSampledFlagIsObeyedOnlyWhenConfigured() {
        assertThat(decide(TraceSampling.of(0.0, false), parent(true, true), SpanKind.SERVER)).isEqualTo(SamplingDecision.DROP);
        assertThat(decide(TraceSampling.of(1.0, false), parent(false, true), SpanKind.SERVER)).isEqualTo(SamplingDecision.RECORD_AND_SAMPLE);
        assertThat(decide(TraceSampling.of(0.0, true), parent(true, true), SpanKind.SERVER)).isEqualTo(SamplingDecision.RECORD_AND_SAMPLE);
        assertThat(decide(TraceSampling.of(1.0, true), parent(false, true), SpanKind.SERVER)).isEqualTo(SamplingDecision.DROP);
    }

    private static SamplingDecision decide(Sampler sampler, Context parent, SpanKind kind) {
        return sampler.shouldSample(parent, TRACE, "span", kind, Attributes.empty(), List.of()).getDecision();
    }

    private static Context parent(boolean sampled, boolean remote) {
        TraceFlags flags = sampled ? TraceFlags.getSampled() : TraceFlags.getDefault();
        SpanContext context = remote
                ? SpanContext.createFromRemoteParent(TRACE, "b7ad6b7169203331", flags, TraceState.getDefault())
                : SpanContext.create(TRACE, "b7ad6b7169203331", flags, TraceState.getDefault());
        return Context.root().with(Span.wrap(context));
    }
}
