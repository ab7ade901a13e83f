package dev.miniplatform.model.audit;

import org.springframework.data.domain.Pageable;
import org.springframework.data.repository.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.util.UUID;

/**
 * Insert and read only: no update or delete method exists, and the database refuses them too.
 */
public interface AuditEventRepository extends Repository<AuditEvent, UUID> {

    Mono<AuditEvent> save(AuditEvent event);

    Flux<AuditEvent> findAllByOrderByOccurredAtDesc(Pageable pageable);

    Mono<Long> count();

    /** Events whose action starts with {@code prefix}: one action ("release.full") or a family ("release."). */
    Flux<AuditEvent> findAllByActionStartingWithOrderByOccurredAtDesc(String prefix, Pageable pageable);

    Mono<Long> countByActionStartingWith(String prefix);
}
