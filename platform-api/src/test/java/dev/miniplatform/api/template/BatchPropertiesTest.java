package dev.miniplatform.api.template;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class BatchPropertiesTest {

    @EnableConfigurationProperties(BatchProperties.class)
    static class Enable {
    }

    private final ApplicationContextRunner context = new ApplicationContextRunner().withUserConfiguration(Enable.class);

    @Test
    void attemptsAreBoundedByDefaultAndEveryBoundIsCheckedAtBinding() {
        context.run(started -> {
            BatchProperties batch = started.getBean(BatchProperties.class);
            assertThat(batch.maxAttempts()).isEqualTo(5);
            assertThat(batch.retryDelay()).isEqualTo(Duration.ofSeconds(30));
            assertThat(batch.lease()).isEqualTo(Duration.ofSeconds(60));
        });
        context.withPropertyValues("platform.batch.max-attempts=0").run(started -> assertThat(started).hasFailed());
        context.withPropertyValues("platform.batch.max-attempts=101").run(started -> assertThat(started).hasFailed());
        context.withPropertyValues("platform.batch.retry-delay=0s").run(started -> assertThat(started).hasFailed());
        context.withPropertyValues("platform.batch.retry-delay=-1s").run(started -> assertThat(started).hasFailed());
        context.withPropertyValues("platform.batch.lease=500ms").run(started -> assertThat(started).hasFailed());
        context.withPropertyValues("platform.batch.idle-poll=0s").run(started -> assertThat(started).hasFailed());
        context.withPropertyValues("platform.batch.retry-delay=200ms").run(started -> assertThat(started).hasNotFailed());
    }
}
