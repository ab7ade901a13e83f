package dev.miniplatform.api.webhook;

import dev.miniplatform.model.isv.WebhookDelivery;

import java.time.Instant;

/**
 * One entry of an ISV's delivery log. {@code lastError} is the endpoint's HTTP status ({@code HTTP 503}) or one of the
 * fixed reasons of {@link WebhookSender}, never a connect error: the log must not work as a port scanner.
 */
record WebhookDeliveryView(String id, String type, String merchant, Instant occurredAt, String state,
                           int attempts, Instant nextAttemptAt, Integer lastStatus, String lastError,
                           Instant deliveredAt) {

    static WebhookDeliveryView of(WebhookDelivery delivery) {
        return new WebhookDeliveryView(delivery.id().toString(), delivery.type(), delivery.eventTenantId().toString(),
                delivery.occurredAt(), delivery.state(), delivery.attempts(),
                "PENDING".equals(delivery.state()) ? delivery.nextAttemptAt() : null, delivery.lastStatus(),
                delivery.lastError(), delivery.deliveredAt());
    }
}
