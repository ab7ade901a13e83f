package dev.miniplatform.api.walletapi;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import org.springframework.util.unit.DataSize;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class WalletPropertiesTest {

    @org.springframework.boot.context.properties.EnableConfigurationProperties({WalletProperties.class, RateLimitProperties.class})
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
            assertThat(properties.cache().nearMaxSize()).isEqualTo(DataSize.ofMegabytes(512));
            assertThat(started.getBean(RateLimitProperties.class).walletCapacity()).isEqualTo(2000);
        });
        context.withPropertyValues("platform.wallet.cache.enabled=false", "platform.rate-limit.user-capacity=5",
                        "platform.wallet.cache.near-max-size=256MB")
                .run(started -> {
                    assertThat(started.getBean(WalletProperties.class).cache().enabled()).isFalse();
                    assertThat(started.getBean(WalletProperties.class).cache().nearMaxSize())
                            .isEqualTo(DataSize.ofMegabytes(256));
                    assertThat(started.getBean(RateLimitProperties.class).userCapacity()).isEqualTo(5);
                });
        context.withPropertyValues("platform.rate-limit.address-per-second=0")
                .run(started -> assertThat(started).hasFailed());
    }
}
