package dev.miniplatform.api.release;

import dev.miniplatform.model.release.ReviewStatus;
import dev.miniplatform.model.validation.InvalidInputException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

import java.util.List;

@Tag(name = "Reviews (platform reviewer)", description = "The review queue of submitted versions")
@RestController
@RequestMapping("/api/v1/reviews")
class ReviewController {

    private final ReviewService reviews;

    ReviewController(ReviewService reviews) {
        this.reviews = reviews;
    }

    @Operation(summary = "Reviews in a state (default PENDING), oldest first")
    @GetMapping
    Mono<List<ReviewView>> list(@RequestParam(defaultValue = "PENDING") String state) {
        ReviewStatus status;
        try {
            status = ReviewStatus.valueOf(state);
        } catch (IllegalArgumentException e) {
            return Mono.error(InvalidInputException.of("state", "enum",
                    "one of PENDING, APPROVED, REJECTED"));
        }
        return reviews.list(status);
    }

    @Operation(summary = "Reviewer: approve the version under review")
    @PostMapping("/{reviewId}/approve")
    Mono<ReviewView> approve(@PathVariable String reviewId) {
        return reviews.approve(reviewId);
    }

    @Operation(summary = "Reject with a reason; the version goes to REJECTED on its target and may be resubmitted")
    @PostMapping("/{reviewId}/reject")
    Mono<ReviewView> reject(@PathVariable String reviewId, @RequestBody(required = false) ReviewDecision decision) {
        return reviews.reject(reviewId, decision);
    }
}
