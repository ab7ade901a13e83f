package dev.miniplatform.model.validation;

import dev.miniplatform.model.tenancy.TenantName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThatNoException;

class ValidationTest {

    @Test
    void collectsEveryFailingFieldBeforeFailing() {
        Validation validation = new Validation();
        validation.reject("kind", "required", "missing");
        TenantName name = validation.attempt(() -> new TenantName(""));

        assertThat(name).isNull();
        assertThatThrownBy(validation::throwIfInvalid)
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.errors())
                        .extracting(FieldError::field)
                        .containsExactly("kind", "name"));
    }

    @Test
    void passesWhenNothingFailed() {
        Validation validation = new Validation();
        TenantName name = validation.attempt(() -> new TenantName("Tea House"));

        assertThat(name.value()).isEqualTo("Tea House");
        assertThat(validation.hasErrors()).isFalse();
        assertThatNoException().isThrownBy(validation::throwIfInvalid);
    }
}
