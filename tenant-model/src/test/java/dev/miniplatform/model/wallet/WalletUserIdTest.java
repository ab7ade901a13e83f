package dev.miniplatform.model.wallet;

import dev.miniplatform.model.validation.InvalidInputException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WalletUserIdTest {

    @ParameterizedTest
    @ValueSource(strings = {"2088123456789012", "a", "user@example.com", "用户42", "a:b/c"})
    void printableIdsAreAccepted(String id) {
        assertThat(WalletUserId.of("accounts[0].userId", id).value()).isEqualTo(id);
        assertThat(WalletUserId.isValid(id)).isTrue();
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {" lead", "trail ", "two words", "line\nbreak", "tab\t", "bidi\u202Eevil", "zero\u200Bwidth", "nbsp\u00A0"})
    void otherIdsAreRefusedUnderTheirField(String id) {
        assertThatThrownBy(() -> WalletUserId.of("accounts[3].userId", id))
                .isInstanceOfSatisfying(InvalidInputException.class,
                        e -> assertThat(e.errors()).singleElement().satisfies(error -> assertThat(error.field()).isEqualTo("accounts[3].userId")));
        assertThat(WalletUserId.isValid(id)).isFalse();
    }

    @org.junit.jupiter.api.Test
    void oneHundredTwentyEightCharactersAtMost() {
        assertThat(WalletUserId.isValid("x".repeat(128))).isTrue();
        assertThat(WalletUserId.isValid("x".repeat(129))).isFalse();
    }
}
