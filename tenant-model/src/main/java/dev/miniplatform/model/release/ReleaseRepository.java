package dev.miniplatform.model.release;

import org.springframework.data.repository.reactive.ReactiveCrudRepository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.util.UUID;

public interface ReleaseRepository extends ReactiveCrudRepository<Release, UUID> {

    Mono<Release> findByAppIdAndVersionAndWalletIdAndEnvironment(String appId, String version, UUID walletId,
                                                                 Environment environment);

    Flux<Release> findByAppIdAndWalletIdAndEnvironment(String appId, UUID walletId, Environment environment);

    Flux<Release> findByAppIdOrderByUpdatedAtDesc(String appId);

    Flux<Release> findByAppIdAndVersion(String appId, String version);
}
