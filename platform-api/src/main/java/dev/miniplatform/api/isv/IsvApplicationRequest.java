package dev.miniplatform.api.isv;

import java.util.List;

/**
 * {@code PUT /api/v1/tenants/{isvId}/isv-application}: registers the application the first time, changes it later.
 *
 * @param redirectUris        where the merchant's browser may be sent back ({@code RedirectUri}); never fetched by the
 *                            platform
 * @param webhookUrl          where the platform POSTs events ({@code WebhookUrl}): https to a public host, port 443
 *                            or 1024 and up; checked again on the resolved address at every delivery
 * @param rotateClientSecret  true → Keycloak generates a new client secret, returned in this answer only
 * @param rotateWebhookSecret true → a new {@code whsec_} secret, returned in this answer only; the previous one also
 *                            signs during the overlap ({@code platform.isv.webhook-secret-overlap})
 */
record IsvApplicationRequest(String name, List<String> redirectUris, String webhookUrl,
                             Boolean rotateClientSecret, Boolean rotateWebhookSecret) {

    boolean rotatesClientSecret() {
        return Boolean.TRUE.equals(rotateClientSecret);
    }

    boolean rotatesWebhookSecret() {
        return Boolean.TRUE.equals(rotateWebhookSecret);
    }
}
