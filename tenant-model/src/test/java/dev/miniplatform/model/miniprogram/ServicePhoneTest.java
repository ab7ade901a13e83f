package dev.miniplatform.model.miniprogram;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.miniplatform.model.validation.Rejected.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;

class ServicePhoneTest {

    private static final String FIELD = "support.phone";

    @Test
    void acceptsAnAreaCodeAndSevenDigits() {
        assertThat(ServicePhone.of(FIELD, " 0571-8888888 ").value()).isEqualTo("0571-8888888");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "571-8888888", "0571-888888", "0571-88888888", "0571 8888888", "05718888888",
            "０５７１-８８８８８８８", "0571-888８888", "0571-8888888x"})
    void rejectsEverythingElse(String phone) {
        assertRejected(() -> ServicePhone.of(FIELD, phone), FIELD, "format");
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", " "})
    void requiresAPhone(String phone) {
        assertRejected(() -> ServicePhone.of(FIELD, phone), FIELD, "required");
    }

    @Test
    void theConstructorReportsOnTheDefaultField() {
        assertRejected(() -> new ServicePhone("12345"), "servicePhone", "format");
    }
}
