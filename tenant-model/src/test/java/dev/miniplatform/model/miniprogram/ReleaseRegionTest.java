package dev.miniplatform.model.miniprogram;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.miniplatform.model.validation.Rejected.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;

class ReleaseRegionTest {

    @Test
    void knowsAlipayChina() {
        assertThat(ReleaseRegion.of("region", "CN")).isEqualTo(ReleaseRegion.CN);
        assertThat(ReleaseRegion.CN.displayName()).isEqualTo("Alipay China");
    }

    @ParameterizedTest
    @ValueSource(strings = {"cn", "EU", "HK", "Alipay China"})
    void rejectsUnknownRegions(String raw) {
        assertRejected(() -> ReleaseRegion.of("release.region", raw), "release.region", "enum");
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", " "})
    void requiresARegion(String raw) {
        assertRejected(() -> ReleaseRegion.of("release.region", raw), "release.region", "required");
    }
}
