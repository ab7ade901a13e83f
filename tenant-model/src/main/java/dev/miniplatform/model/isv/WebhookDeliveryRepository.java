package dev.miniplatform.model.isv;

import org.springframework.data.repository.reactive.ReactiveCrudRepository;

import java.util.UUID;

public interface WebhookDeliveryRepository extends ReactiveCrudRepository<WebhookDelivery, UUID> {
}
