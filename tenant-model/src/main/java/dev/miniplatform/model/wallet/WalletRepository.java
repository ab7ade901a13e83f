package dev.miniplatform.model.wallet;

import org.springframework.data.repository.reactive.ReactiveCrudRepository;
import reactor.core.publisher.Flux;

import java.util.UUID;

public interface WalletRepository extends ReactiveCrudRepository<Wallet, UUID> {

    Flux<Wallet> findAllByOrderByCreatedAtAsc();
}
