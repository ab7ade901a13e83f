package dev.miniplatform.api.ops;

import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.micrometer.tracing.autoconfigure.TracingProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Tracing is Spring Boot's (Micrometer Tracing over the OpenTelemetry SDK, {@code management.tracing.*}, exported
 * over OTLP when {@code management.opentelemetry.tracing.export.otlp.endpoint} is set; docs/operations.md). This
 * replaces only its sampler, with {@link TraceSampling}.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(TracingConfiguration.PlatformTracingProperties.class)
class TracingConfiguration {

    private static final Logger log = LoggerFactory.getLogger(TracingConfiguration.class);

    /**
     * {@code platform.tracing.*}.
     *
     * @param followCallerSampling record a trace whenever the caller's {@code traceparent} says it is sampled (and
     *                             never when it says not), instead of deciding by
     *                             {@code management.tracing.sampling.probability}; only behind a gateway that sets or
     *                             clears that flag itself
     */
    @ConfigurationProperties("platform.tracing")
    record PlatformTracingProperties(@DefaultValue("false") boolean followCallerSampling) {
    }

    /**
     * With no exporter (no endpoint configured, as in {@code bin/run} and most tests) nothing is recorded: spans still
     * carry ids for log lines, problem bodies and the {@code traceparent} of outgoing calls, at the cost of an
     * unrecorded span.
     */
    @Bean
    Sampler otelSampler(TracingProperties tracing, PlatformTracingProperties platform,
                        ObjectProvider<SpanExporter> exporters) {
        boolean exported = exporters.stream().findAny().isPresent();
        double probability = exported ? tracing.getSampling().getProbability() : 0.0;
        log.info("Tracing: {}", exported ? "spans of %s %% of traces exported".formatted(probability * 100)
                : "no export endpoint, so no span is recorded (trace ids only)");
        return TraceSampling.of(probability, exported && platform.followCallerSampling());
    }
}
