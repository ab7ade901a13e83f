package dev.miniplatform.model.release;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.stream.Stream;

import static dev.miniplatform.model.validation.Rejected.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;

class SemanticVersionTest {

    private static final String FIELD = "version";

    @ParameterizedTest
    @CsvSource({"0.0.0, 0, 0, 0", "1.2.3, 1, 2, 3", "1.10.0, 1, 10, 0", "999999.999999.999999, 999999, 999999, 999999"})
    void parsesWellFormedVersions(String raw, int major, int minor, int patch) {
        SemanticVersion version = SemanticVersion.parse(FIELD, raw);
        assertThat(version).isEqualTo(new SemanticVersion(major, minor, patch));
        assertThat(version.toString()).isEqualTo(raw);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.0", "01.0.0", "1.00.0", "1.0.0-beta", "a.b.c", "1.0.0.0", "1000000.0.0",
            "1..0", "-1.0.0", "+1.0.0", "1.0.0 .1", "１.0.0"})
    void rejectsMalformedVersions(String raw) {
        assertRejected(() -> SemanticVersion.parse(FIELD, raw), FIELD, "format");
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "  "})
    void requiresAVersion(String raw) {
        assertRejected(() -> SemanticVersion.parse(FIELD, raw), FIELD, "required");
    }

    @Test
    void ordersNumericallyPartByPart() {
        assertThat(v("1.10.0")).isGreaterThan(v("1.9.0"));
        assertThat(v("2.0.0")).isGreaterThan(v("1.99.99"));
        assertThat(v("1.0.10")).isGreaterThan(v("1.0.9"));
        assertThat(v("1.2.3")).isEqualByComparingTo(v("1.2.3"));
        assertThat(Stream.of(v("1.10.0"), v("0.0.1"), v("1.9.0"), v("2.0.0"), v("1.99.99")).sorted().toList())
                .extracting(SemanticVersion::toString)
                .containsExactly("0.0.1", "1.9.0", "1.10.0", "1.99.99", "2.0.0");
    }

    @Test
    void theConstructorRejectsPartsOutOfRange() {
        assertRejected(() -> new SemanticVersion(-1, 0, 0), FIELD, "format");
        assertRejected(() -> new SemanticVersion(0, 1_000_000, 0), FIELD, "format");
    }

    private static SemanticVersion v(String raw) {
        return SemanticVersion.parse(FIELD, raw);
    }
}
