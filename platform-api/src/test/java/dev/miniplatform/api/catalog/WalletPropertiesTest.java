package dev.miniplatform.api.catalog;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class WalletPropertiesTest {

    @org.springframework.boot.context.properties.EnableConfigurationProperties(WalletProperties.class)
    static class Enable {
    }

    private final ApplicationContextRunner context = new ApplicationContextRunner()
            .withUserConfiguration(Enable.class);

    @Test
    void defaultsWorkLocallyAndTheCacheSwitchBinds() {
        context.run(started -> {
            assertThat(started).hasNotFailed();
            WalletProperties properties = started.getBean(WalletProperties.class);
            assertThat(properties.cache().enabled()).isTrue();
            assertThat(properties.cache().redisTtl()).isEqualTo(Duration.ofMinutes(10));
            assertThat(properties.rateLimit().wallet().capacity()).isEqualTo(2000);
        });
        context.withPropertyValues("platform.wallet.cache.enabled=false", "platform.wallet.rate-limit.tenant-capacity=5")
                .run(started -> {
                    assertThat(started.getBean(WalletProperties.class).cache().enabled()).isFalse();
                    assertThat(started.getBean(WalletProperties.class).rateLimit().tenant().capacity()).isEqualTo(5);
                });
    }
}
