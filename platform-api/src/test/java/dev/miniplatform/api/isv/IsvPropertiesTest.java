package dev.miniplatform.api.isv;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.ClassPathResource;

import java.io.IOException;

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
}
