package dev.miniplatform.api.industry;

import dev.miniplatform.model.industry.Industry;
import dev.miniplatform.model.industry.IndustryRepository;
import dev.miniplatform.model.validation.InvalidInputException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;


@Tag(name = "Industries", description = "The platform's industry catalog")
@RestController
class IndustryController {

    private static final int MAX_QUERY = 50;
    private static final int MAX_RESULTS = 50;

    private final IndustryRepository industries;

    IndustryController(IndustryRepository industries) {
        this.industries = industries;
    }

    @Operation(summary = "Search selectable industries by English or Chinese name (of the industry or its category) or code")
    @GetMapping("/api/v1/industries")
    Flux<Industry> search(@RequestParam(defaultValue = "") String q) {
        String text = q.strip();
        if (text.length() > MAX_QUERY) {
            return Flux.error(InvalidInputException.of("q", "length", "at most " + MAX_QUERY + " characters"));
        }
        return industries.search(escapeLike(text), MAX_RESULTS);
    }

    /** The text is matched literally: LIKE wildcards typed into the search box are not wildcards. */
    private static String escapeLike(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }
}
