package dev.miniplatform.api.isv;

import java.util.List;

/**
 * {@code PUT /api/v1/tenants/{isvId}/isv-application}: registers the application the first time, changes it later.
 *
 * @param rotateClientSecret  true → Keycloak generates a new client secret, returned in this answer only
 * @param rotateWebhookSecret true → a new {@code whsec_} secret, returned in this answer only; the previous one also
 *                            signs during the overlap ({@code platform.isv.webhook-secret-overlap})
 */
public record IsvApplicationRequest(String name, List<String> redirectUris, String webhookUrl,
                                    Boolean rotateClientSecret, Boolean rotateWebhookSecret) {

    boolean rotatesClientSecret() {
        return Boolean.TRUE.equals(rotateClientSecret);
    }

    boolean rotatesWebhookSecret() {
        return Boolean.TRUE.equals(rotateWebhookSecret);
    }
}
