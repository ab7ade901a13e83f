package dev.miniplatform.model.isv;

import org.springframework.data.repository.reactive.ReactiveCrudRepository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.util.UUID;

/** Row-level security limits every query to the current (merchant) tenant. */
public interface AuthorizationRepository extends ReactiveCrudRepository<Authorization, UUID> {

    Flux<Authorization> findAllByOrderByRequestedAtDesc();

    Mono<Authorization> findFirstByClientIdAndState(String clientId, AuthorizationState state);

    Flux<Authorization> findAllByClientIdAndStateOrderByRequestedAtDesc(String clientId, AuthorizationState state);

    Mono<Authorization> findFirstByIsvTenantIdAndServiceIdAndState(UUID isvTenantId, UUID serviceId,
                                                                    AuthorizationState state);
}
