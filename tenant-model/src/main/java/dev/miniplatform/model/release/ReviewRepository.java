package dev.miniplatform.model.release;

import org.springframework.data.repository.reactive.ReactiveCrudRepository;
import reactor.core.publisher.Flux;

import java.util.UUID;

/**
 * The review queue. Under a reviewer context row-level security shows every tenant's reviews except those of
 * workspaces the reviewer is or was a member of (and only this
 * table); under a tenant context only that tenant's.
 */
public interface ReviewRepository extends ReactiveCrudRepository<Review, UUID> {

    Flux<Review> findByStatusOrderByCreatedAtAsc(ReviewStatus status);
}
