package dev.miniplatform.api.webhook;

import dev.miniplatform.api.isv.WebhookSecrets;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

class WebhookSignatureTest {

    /** The example from the Standard Webhooks specification's reference implementation tests. */
    @Test
    void matchesTheStandardWebhooksReferenceVector() {
        String secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        String id = "msg_p5jXN8AQM9LWM0D4loKWxJek";
        long timestamp = 1614265330;
        String body = "{\"test\": 2432232314}";
        assertThat(WebhookSignature.sign(id, timestamp, body, secret))
                .isEqualTo("g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    @Test
    void signsWithEverySecretDuringARotation() {
        String oldSecret = WebhookSecrets.generate();
        String newSecret = WebhookSecrets.generate();
        String header = WebhookSignature.header("id", 1, "{}", Arrays.asList(newSecret, oldSecret));
        assertThat(header.split(" ")).containsExactly("v1," + WebhookSignature.sign("id", 1, "{}", newSecret),
                "v1," + WebhookSignature.sign("id", 1, "{}", oldSecret));
        assertThat(WebhookSignature.header("id", 1, "{}", Arrays.asList(newSecret, null))).doesNotContain(" ");
    }

    @Test
    void secretsAreWhsecPrefixedThirtyTwoByteKeys() {
        String secret = WebhookSecrets.generate();
        assertThat(secret).startsWith("whsec_");
        assertThat(WebhookSecrets.key(secret)).hasSize(32);
        assertThat(WebhookSecrets.generate()).isNotEqualTo(secret);
    }
}
