package dev.miniplatform.model.member;

import org.springframework.data.repository.reactive.ReactiveCrudRepository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.util.UUID;

public interface InvitationRepository extends ReactiveCrudRepository<Invitation, UUID> {

    Mono<Invitation> findByTokenHash(String tokenHash);

    Flux<Invitation> findAllByOrderByCreatedAtDesc();
}
