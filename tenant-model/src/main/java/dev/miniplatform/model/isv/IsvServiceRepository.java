package dev.miniplatform.model.isv;

import org.springframework.data.repository.reactive.ReactiveCrudRepository;
import reactor.core.publisher.Flux;

import java.util.UUID;

public interface IsvServiceRepository extends ReactiveCrudRepository<IsvService, UUID> {

    Flux<IsvService> findAllByTenantIdOrderByCreatedAtDesc(UUID tenantId);
}
