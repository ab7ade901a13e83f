package dev.miniplatform.api.webhook;

import dev.miniplatform.api.isv.WebhookSecrets;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The Standard Webhooks signature: {@code v1,<base64 HMAC-SHA256 of "id.timestamp.body">}, one per secret that
 * currently signs, separated by spaces (so a receiver that knows either secret accepts during a rotation).
 */
final class WebhookSignature {

    private WebhookSignature() {
    }

    public static String header(String id, long timestampSeconds, String body, List<String> secrets) {
        return secrets.stream()
                .filter(Objects::nonNull)
                .map(secret -> "v1," + sign(id, timestampSeconds, body, secret))
                .collect(Collectors.joining(" "));
    }

    public static String sign(String id, long timestampSeconds, String body, String secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(WebhookSecrets.key(secret), "HmacSHA256"));
            byte[] signature = mac.doFinal((id + "." + timestampSeconds + "." + body).getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(signature);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
