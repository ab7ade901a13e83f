package dev.miniplatform.api.industry;

import dev.miniplatform.model.industry.Industry;
import dev.miniplatform.model.industry.IndustryRepository;
import dev.miniplatform.model.validation.FieldError;
import dev.miniplatform.model.validation.Validation;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * The rule for everything that names an industry (a mini program, a template, a batch job's items): only a leaf of
 * the catalog ({@link Industry#selectable()}) may be chosen, and a code that is not one is reported the same way
 * everywhere.
 */
@Component
public class SelectableIndustries {

    private final IndustryRepository industries;

    SelectableIndustries(IndustryRepository industries) {
        this.industries = industries;
    }

    public Mono<Boolean> contains(String code) {
        return industries.findById(code)
                .filter(Industry::selectable)
                .hasElement();
    }

    /**
     * Rejects {@code field} unless {@code code} is selectable, then fails with every error {@code validation} holds
     * ({@link Validation#throwIfInvalid()}).
     */
    public Mono<Void> check(String field, String code, Validation validation) {
        return contains(code)
                .doOnNext(known -> {
                    if (!known) {
                        reject(field, validation);
                    }
                    validation.throwIfInvalid();
                })
                .then();
    }

    public static FieldError notSelectable(String field) {
        return new FieldError(field, "unknown", "not a selectable industry of the catalog; see GET /api/v1/industries");
    }

    private static void reject(String field, Validation validation) {
        FieldError error = notSelectable(field);
        validation.reject(error.field(), error.code(), error.message());
    }
}
