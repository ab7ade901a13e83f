package dev.miniplatform.api.industry;

import dev.miniplatform.model.industry.Industry;
import dev.miniplatform.model.industry.IndustryRepository;
import dev.miniplatform.model.validation.InvalidInputException;
import dev.miniplatform.model.validation.Validation;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

class SelectableIndustriesTest {

    private final IndustryRepository repository = mock(IndustryRepository.class);
    private final SelectableIndustries industries = new SelectableIndustries(repository);

    SelectableIndustriesTest() {
        when(repository.findById(anyString())).thenReturn(Mono.empty());
        when(repository.findById("food")).thenReturn(Mono.just(new Industry("food", null, "Food", "餐饮", false, 1)));
        when(repository.findById("food.tea-coffee"))
                .thenReturn(Mono.just(new Industry("food.tea-coffee", "food", "Tea and coffee", "茶饮咖啡", true, 1)));
    }

    @Test
    void onlyALeafOfTheCatalogIsSelectable() {
        StepVerifier.create(industries.contains("food.tea-coffee")).expectNext(true).verifyComplete();
        StepVerifier.create(industries.contains("food")).expectNext(false).verifyComplete();
        StepVerifier.create(industries.contains("nowhere")).expectNext(false).verifyComplete();
    }

    @Test
    void aCategoryIsReportedOnTheFieldWithTheOtherErrors() {
        Validation validation = new Validation().reject("name", "required", "give a name");

        StepVerifier.create(industries.check("industry", "food", validation))
                .expectErrorSatisfies(failure -> assertThat(((InvalidInputException) failure).errors())
                        .extracting(error -> error.field() + ":" + error.code())
                        .containsExactly("name:required", "industry:unknown"))
                .verify();
    }

    @Test
    void aSelectableIndustryPassesUnlessSomethingElseWasRejected() {
        StepVerifier.create(industries.check("industry", "food.tea-coffee", new Validation())).verifyComplete();
        StepVerifier.create(industries.check("industry", "food.tea-coffee",
                        new Validation().reject("name", "required", "give a name")))
                .expectError(InvalidInputException.class)
                .verify();
    }

    @Test
    void theErrorPointsAtTheCatalog() {
        assertThat(SelectableIndustries.notSelectable("items[3].miniProgram.industry").message())
                .isEqualTo("not a selectable industry of the catalog; see GET /api/v1/industries");
    }
}
