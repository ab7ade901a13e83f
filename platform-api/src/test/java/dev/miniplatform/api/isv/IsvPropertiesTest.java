package dev.miniplatform.api.isv;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.ClassPathResource;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class IsvPropertiesTest {

    /** The production configuration (application.yaml, no dev or test profile) never lets a webhook reach loopback. */
    @Test
    void productionRefusesLoopbackWebhooks() throws IOException {
        StandardEnvironment production = new StandardEnvironment();
        new YamlPropertySourceLoader().load("application.yaml", new ClassPathResource("application.yaml"))
                .forEach(production.getPropertySources()::addLast);

        IsvProperties properties = new Binder(ConfigurationPropertySources.get(production))
                .bindOrCreate("platform.isv", IsvProperties.class);

        assertThat(properties.webhookAllowLoopbackHttp()).isFalse();
    }

    @Test
    void backOffDoublesUpToTheCap() {
        IsvProperties properties = new IsvProperties(false, Duration.ofHours(24), true, Duration.ofMillis(500),
                Duration.ofSeconds(5), Duration.ofSeconds(30), 8, Duration.ofSeconds(1), Duration.ofSeconds(10),
                Duration.ofSeconds(30));
        assertThat(List.of(1, 2, 3, 4, 5, 9).stream().map(properties::retryDelay).toList()).containsExactly(
                Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(8),
                Duration.ofSeconds(10), Duration.ofSeconds(10));
    }
}
