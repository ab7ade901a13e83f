package dev.miniplatform.model.tenancy;

import org.springframework.data.repository.reactive.ReactiveCrudRepository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.util.UUID;

public interface MembershipRepository extends ReactiveCrudRepository<Membership, UUID> {

    Flux<Membership> findByUserId(String userId);

    Mono<Membership> findByTenantIdAndUserId(UUID tenantId, String userId);

    Flux<Membership> findAllByOrderByCreatedAtAsc();
}
