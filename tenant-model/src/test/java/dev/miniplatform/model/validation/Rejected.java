package dev.miniplatform.model.validation;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every value object fails with exactly one error; this asserts its field and code in one line. */
public final class Rejected {

    private Rejected() {
    }

    public static void assertRejected(ThrowingCallable call, String field, String code) {
        assertThatThrownBy(call).isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.errors())
                .singleElement()
                .satisfies(error -> {
                    assertThat(error.field()).isEqualTo(field);
                    assertThat(error.code()).isEqualTo(code);
                    assertThat(error.message()).isNotBlank();
                }));
    }
}
