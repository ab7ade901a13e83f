package dev.miniplatform.model.tenancy;

import dev.miniplatform.model.validation.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TenantNameTest {

    @Test
    void keepsTheNameTrimmed() {
        assertThat(new TenantName("  Hangzhou Tea House ").value()).isEqualTo("Hangzhou Tea House");
    }

    @Test
    void acceptsTheBoundaryLengthsCountingCodePoints() {
        assertThat(new TenantName("ab").value()).hasSize(2);
        assertThat(new TenantName("x".repeat(100)).value()).hasSize(100);
        // two CJK characters are two code points, whatever their width in the mini program name rule
        assertThat(new TenantName("茶馆").value()).isEqualTo("茶馆");
        // an emoji outside the BMP is one code point but two chars
        assertThat(new TenantName("😀x").value()).isEqualTo("😀x");
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", " ", "a", "  b  "})
    void rejectsTooShortNamesAsALengthErrorOnTheNameField(String name) {
        assertThatThrownBy(() -> new TenantName(name))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.errors())
                        .singleElement()
                        .satisfies(error -> {
                            assertThat(error.field()).isEqualTo("name");
                            assertThat(error.code()).isEqualTo("length");
                        }));
    }

    @Test
    void rejectsTooLongNames() {
        assertThatThrownBy(() -> new TenantName("x".repeat(101))).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void rejectsControlCharacters() {
        assertThatThrownBy(() -> new TenantName("Tea\u0000House"))
                .isInstanceOfSatisfying(InvalidInputException.class,
                        e -> assertThat(e.errors().getFirst().code()).isEqualTo("characters"));
    }

    @org.junit.jupiter.params.ParameterizedTest
    @ValueSource(strings = {"Tea\uD800House", "\u200B\u200B\u200B", "\u202EesuoH aeT", "\uFEFFTea House", "Tea\u2066House"})
    void rejectsBrokenInvisibleAndBidiCharactersThroughTheSharedRule(String name) {
        dev.miniplatform.model.validation.Rejected.assertRejected(() -> new TenantName(name), "name", "characters");
    }

    @Test
    void storesAndMeasuresTheNfcForm() {
        assertThat(new TenantName("Cafe\u0301").value()).isEqualTo("Caf\u00E9");
        assertThat(new TenantName("e\u0301".repeat(100)).value()).hasSize(100);
    }
}
