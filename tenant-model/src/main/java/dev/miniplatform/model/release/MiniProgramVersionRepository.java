package dev.miniplatform.model.release;

import org.springframework.data.repository.reactive.ReactiveCrudRepository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.util.UUID;

public interface MiniProgramVersionRepository extends ReactiveCrudRepository<MiniProgramVersion, UUID> {

    Flux<MiniProgramVersion> findByAppIdOrderByMajorDescMinorDescPatchDesc(String appId);

    Mono<MiniProgramVersion> findFirstByAppIdOrderByMajorDescMinorDescPatchDesc(String appId);

    Mono<MiniProgramVersion> findByAppIdAndVersion(String appId, String version);
}
