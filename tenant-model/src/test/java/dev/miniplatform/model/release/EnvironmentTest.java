package dev.miniplatform.model.release;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.miniplatform.model.validation.Rejected.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;

class EnvironmentTest {

    private static final String FIELD = "targets[0].environment";

    @Test
    void onlyProductionAlwaysAndSandboxByWalletSettingAreReviewed() {
        assertThat(Environment.PROD.requiresReview(false)).isTrue();
        assertThat(Environment.PROD.requiresReview(true)).isTrue();
        assertThat(Environment.DEV.requiresReview(true)).isFalse();
        assertThat(Environment.TEST.requiresReview(true)).isFalse();
        assertThat(Environment.SANDBOX.requiresReview(true)).isTrue();
        assertThat(Environment.SANDBOX.requiresReview(false)).isFalse();
    }

    @Test
    void parsesTheConstantName() {
        assertThat(Environment.of(FIELD, "SANDBOX")).isEqualTo(Environment.SANDBOX);
    }

    @ParameterizedTest
    @ValueSource(strings = {"prod", "STAGING"})
    void rejectsUnknownNames(String raw) {
        assertRejected(() -> Environment.of(FIELD, raw), FIELD, "enum");
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", " "})
    void requiresAnEnvironment(String raw) {
        assertRejected(() -> Environment.of(FIELD, raw), FIELD, "required");
    }
}
