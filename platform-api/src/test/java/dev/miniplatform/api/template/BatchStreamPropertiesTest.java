package dev.miniplatform.api.template;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class BatchStreamPropertiesTest {

    @EnableConfigurationProperties(BatchStreamProperties.class)
    static class Enable {
    }

    private final ApplicationContextRunner context = new ApplicationContextRunner().withUserConfiguration(Enable.class);

    @Test
    void defaultsBoundStreamsAndEveryBoundIsChecked() {
        context.run(started -> {
            BatchStreamProperties streams = started.getBean(BatchStreamProperties.class);
            assertThat(streams.maxPerCaller()).isEqualTo(4);
            assertThat(streams.maxPerNode()).isEqualTo(100);
            assertThat(streams.maxLifetime()).isEqualTo(Duration.ofMinutes(5));
        });
        context.withPropertyValues("platform.batch.streams.max-lifetime=0s").run(started -> assertThat(started).hasFailed());
        context.withPropertyValues("platform.batch.streams.max-per-caller=0").run(started -> assertThat(started).hasFailed());
        context.withPropertyValues("platform.batch.streams.max-per-node=0").run(started -> assertThat(started).hasFailed());
    }
}
