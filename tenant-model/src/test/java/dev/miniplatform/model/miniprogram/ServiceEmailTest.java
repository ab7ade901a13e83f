package dev.miniplatform.model.miniprogram;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.miniplatform.model.validation.Rejected.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;

class ServiceEmailTest {

    private static final String FIELD = "support.email";

    @ParameterizedTest
    @ValueSource(strings = {
            "service@example.com", "first.last@mail.example.cn", "o'brien+tea@example.co",
            "a@b.cn", "x_y-z!#$%&*/=?^`{|}~@tea-house.example.com"})
    void acceptsDotAtomAddresses(String email) {
        assertThat(ServiceEmail.of(FIELD, email).value()).isEqualTo(email);
    }

    @Test
    void lowerCasesOnlyTheDomain() {
        assertThat(ServiceEmail.of(FIELD, " Service.Desk@Example.COM ").value())
                .isEqualTo("Service.Desk@example.com");
    }

    @Test
    void acceptsTheLengthLimits() {
        String local = "l".repeat(64);
        String label = "d".repeat(63);
        assertThat(ServiceEmail.of(FIELD, local + "@" + label + ".cn").value()).hasSize(64 + 1 + 63 + 3);
        String longest = local + "@" + label + "." + label + "." + "d".repeat(58) + ".cn";
        assertThat(longest).hasSize(254);
        assertThat(ServiceEmail.of(FIELD, longest).value()).isEqualTo(longest);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "service", "service@", "@example.com", "a@@example.com", "a@b@example.com",
            "service@localhost", "service@example..com", "service@.example.com", "service@example.com.",
            "service@-example.com", "service@example-.com", "service@exa_mple.com",
            ".service@example.com", "service.@example.com", "ser..vice@example.com",
            "ser vice@example.com", "\"quoted\"@example.com", "service@[127.0.0.1]", "客服@example.com",
            "service@例子.中国"})
    void rejectsMalformedAddresses(String email) {
        assertRejected(() -> ServiceEmail.of(FIELD, email), FIELD, "format");
    }

    @Test
    void rejectsPartsOverTheirLimits() {
        assertRejected(() -> ServiceEmail.of(FIELD, "l".repeat(65) + "@example.com"), FIELD, "format");
        assertRejected(() -> ServiceEmail.of(FIELD, "a@" + "d".repeat(64) + ".cn"), FIELD, "format");
        String tooLong = "l".repeat(64) + "@" + "d".repeat(63) + "." + "d".repeat(63) + "." + "d".repeat(59) + ".cn";
        assertThat(tooLong).hasSize(255);
        assertRejected(() -> ServiceEmail.of(FIELD, tooLong), FIELD, "format");
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", " "})
    void requiresAnAddress(String email) {
        assertRejected(() -> ServiceEmail.of(FIELD, email), FIELD, "required");
    }

    @Test
    void theConstructorReportsOnTheDefaultField() {
        assertRejected(() -> new ServiceEmail("nope"), "serviceEmail", "format");
    }
}
