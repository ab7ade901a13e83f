package dev.miniplatform.api.isv;

import dev.miniplatform.model.isv.WebhookDelivery;

import java.time.Instant;

public record WebhookDeliveryView(String id, String type, String merchant, Instant occurredAt, String state,
                                  int attempts, Instant nextAttemptAt, Integer lastStatus, String lastError,
                                  Instant deliveredAt) {

    static WebhookDeliveryView of(WebhookDelivery delivery) {
        return new WebhookDeliveryView(delivery.id().toString(), delivery.type(), delivery.eventTenantId().toString(),
                delivery.occurredAt(), delivery.state(), delivery.attempts(),
                "PENDING".equals(delivery.state()) ? delivery.nextAttemptAt() : null, delivery.lastStatus(),
                delivery.lastError(), delivery.deliveredAt());
    }
}
