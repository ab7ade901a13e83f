package dev.miniplatform.model.wallet;

import dev.miniplatform.model.validation.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DeepLinkSchemeTest {

    @ParameterizedTest
    @ValueSource(strings = {"alipays", "a", "mini-wallet", "x.y+z-1", "mpp-0123456789ab"})
    void rfc3986SchemesAreAccepted(String scheme) {
        assertThat(new DeepLinkScheme(scheme).value()).isEqualTo(scheme);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"1abc", "-abc", "ab c", "a_b", "ab:", "äb", "Ab"})
    void otherShapesAreRefused(String scheme) {
        assertThatThrownBy(() -> new DeepLinkScheme(scheme))
                .isInstanceOfSatisfying(InvalidInputException.class,
                        e -> assertThat(e.errors()).singleElement().satisfies(error -> assertThat(error.field()).isEqualTo("deepLinkScheme")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"http", "https", "javascript", "data", "file", "vbscript"})
    void schemesBrowsersActOnAreRefused(String scheme) {
        assertThatThrownBy(() -> new DeepLinkScheme(scheme)).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void typedSchemesAreTrimmedAndLowerCased() {
        assertThat(DeepLinkScheme.parse("  AliPays ").value()).isEqualTo("alipays");
    }

    @Test
    void sixtyFourCharactersAtMost() {
        assertThat(new DeepLinkScheme("a".repeat(64)).value()).hasSize(64);
        assertThatThrownBy(() -> new DeepLinkScheme("a".repeat(65))).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void theDefaultIsValidAndNamesTheWallet() {
        UUID wallet = UUID.fromString("0123abcd-4567-89ef-0123-456789abcdef");
        assertThat(DeepLinkScheme.defaultFor(wallet).value()).isEqualTo("mpp-0123abcd4567");
    }

    @Test
    void thePreviewLinkCarriesAppIdAndTicket() {
        assertThat(new DeepLinkScheme("alipays").previewLink("app1", "t-_1"))
                .isEqualTo("alipays://preview?appId=app1&preview=t-_1");
    }
}
