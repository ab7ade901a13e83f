package dev.miniplatform.model.isv;

import org.springframework.data.repository.reactive.ReactiveCrudRepository;

import java.util.UUID;

public interface IsvApplicationRepository extends ReactiveCrudRepository<IsvApplication, UUID> {
}
