package dev.miniplatform.model.miniprogram;

import org.springframework.data.domain.Pageable;
import org.springframework.data.repository.reactive.ReactiveCrudRepository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.util.Collection;

/**
 * Mini programs of the current tenant (row-level security filters by tenant; no method here takes one).
 */
public interface MiniProgramRepository extends ReactiveCrudRepository<MiniProgram, String> {

    Flux<MiniProgram> findAllBy(Pageable pageable);

    Flux<MiniProgram> findByAppIdIn(Collection<String> appIds, Pageable pageable);

    Mono<Long> countByAppIdIn(Collection<String> appIds);
}
