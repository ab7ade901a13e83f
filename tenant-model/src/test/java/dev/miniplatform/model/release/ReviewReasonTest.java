package dev.miniplatform.model.release;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.miniplatform.model.validation.Rejected.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;

class ReviewReasonTest {

    @Test
    void keepsAReasonOfSeveralLines() {
        assertThat(new ReviewReason("  1. Add a privacy policy.\n2. Fix the logo.  ").value())
                .isEqualTo("1. Add a privacy policy.\n2. Fix the logo.");
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "   "})
    void requiresAReason(String reason) {
        assertRejected(() -> new ReviewReason(reason), "reason", "required");
    }

    @Test
    void isAtMost2000Characters() {
        assertThat(new ReviewReason("x".repeat(2000)).value()).hasSize(2000);
        assertRejected(() -> new ReviewReason("x".repeat(2001)), "reason", "length");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Fix \uD800 it", "Fix\u202E it", "\u200B\u200B", "Fix\r\nit", "Fix\u0000it"})
    void refusesUnsafeText(String reason) {
        assertRejected(() -> new ReviewReason(reason), "reason", "characters");
    }
}
