package dev.miniplatform.api.ops;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingResult;

import java.util.List;

/**
 * Which traces this node records ({@code management.tracing.sampling.probability}, {@code platform.tracing.*}).
 * <ul>
 *     <li>A trace starts at a request, a batch item, a webhook delivery or a queued Keycloak call (the effect relay)
 *     and is kept with the configured probability, decided on the trace id ({@link Sampler#traceIdRatioBased}): every
 *     node that shares the probability makes the same choice for the same trace, so a kept trace is kept whole across
 *     nodes.</li>
 *     <li>A caller's {@code traceparent} always gives the trace its id; whether it is recorded is this node's own choice
 *     by default, because any client can send {@code sampled=1} and a wallet doing so on every read would make the
 *     platform record and export all of them. Behind a gateway that samples, {@code follow-caller-sampling} obeys it.</li>
 *     <li>A database or Redis call outside any request, job item or delivery (the polling loops' claims, the change
 *     feed follower) starts no trace of its own: a client span without a parent is dropped. Its timers still count.</li>
 *     <li>Spans inside a trace follow their parent.</li>
 * </ul>
 */
final class TraceSampling implements Sampler {

    private final Sampler ratio;

    private TraceSampling(double probability) {
        this.ratio = Sampler.traceIdRatioBased(probability);
    }

    static Sampler of(double probability, boolean followCallerSampling) {
        Sampler byTraceId = Sampler.traceIdRatioBased(probability);
        return Sampler.parentBasedBuilder(new TraceSampling(probability))
                .setRemoteParentSampled(followCallerSampling ? Sampler.alwaysOn() : byTraceId)
                .setRemoteParentNotSampled(followCallerSampling ? Sampler.alwaysOff() : byTraceId)
                .build();
    }

    @Override
    public SamplingResult shouldSample(Context parentContext, String traceId, String name, SpanKind spanKind,
                                       Attributes attributes, List<LinkData> parentLinks) {
        if (spanKind == SpanKind.CLIENT) {
            return SamplingResult.drop();
        }
        return ratio.shouldSample(parentContext, traceId, name, spanKind, attributes, parentLinks);
    }

    @Override
    public String getDescription() {
        return "TraceSampling{" + ratio.getDescription() + ", parentless client spans dropped}";
    }
}
