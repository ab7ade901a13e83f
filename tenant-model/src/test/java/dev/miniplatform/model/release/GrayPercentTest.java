package dev.miniplatform.model.release;

import dev.miniplatform.model.validation.ConflictException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.miniplatform.model.validation.Rejected.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GrayPercentTest {

    private static final String FIELD = "grayPercent";

    @ParameterizedTest
    @ValueSource(ints = {1, 50, 100})
    void acceptsOneToHundred(int raw) {
        assertThat(GrayPercent.of(FIELD, raw).value()).isEqualTo(raw);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 101, -5})
    void rejectsValuesOutside(int raw) {
        assertRejected(() -> GrayPercent.of(FIELD, raw), FIELD, "range");
        assertRejected(() -> new GrayPercent(raw), GrayPercent.FIELD, "range");
    }

    @Test
    void requiresAValue() {
        assertRejected(() -> GrayPercent.of("release.percent", null), "release.percent", "required");
    }

    @Test
    void onlyHundredIsFull() {
        assertThat(new GrayPercent(100).isFull()).isTrue();
        assertThat(new GrayPercent(99).isFull()).isFalse();
    }

    @Test
    void mayOnlyGrow() {
        assertThatCode(() -> new GrayPercent(10).requireGrowthFrom(null)).doesNotThrowAnyException();
        assertThatCode(() -> new GrayPercent(51).requireGrowthFrom(50)).doesNotThrowAnyException();
        assertThatThrownBy(() -> new GrayPercent(10).requireGrowthFrom(50))
                .isInstanceOfSatisfying(ConflictException.class, e -> {
                    assertThat(e.getMessage()).isEqualTo("gray percentage may only grow: it is 50 %, asked for 10 %");
                    assertThat(e.currentState()).isEqualTo("GRAYSCALE");
                    assertThat(e.allowedActions()).containsExactly("release");
                });
        assertThatThrownBy(() -> new GrayPercent(50).requireGrowthFrom(50)).isInstanceOf(ConflictException.class);
    }
}
