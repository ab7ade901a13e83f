package dev.miniplatform.api.isv;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

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

    @Test
    void backOffDoublesUpToTheCap() {
        IsvProperties properties = new IsvProperties(false, Duration.ofHours(24), true, Duration.ofMillis(500),
                Duration.ofSeconds(5), Duration.ofSeconds(30), 8, Duration.ofSeconds(1), Duration.ofSeconds(10),
                Duration.ofSeconds(30));
        assertThat(List.of(1, 2, 3, 4, 5, 9).stream().map(properties::retryDelay).toList()).containsExactly(
                Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(8),
                Duration.ofSeconds(10), Duration.ofSeconds(10));
    }

    @Test
    void pkceChallengeIsTheS256OfTheVerifier() {
        // expected value computed independently with Python: urlsafe_b64encode(sha256(verifier)) without padding
        assertThat(Pkce.challenge("dBjftJeZ4CVP-mJ92IXVT9Sc3f0SgEJqB4t6F-cSd0k"))
                .isEqualTo("pFPqddzeK0Wb4UVkIQGghqWFYiXyfH-Al6e4XQxxQ0M");
        Pkce pkce = Pkce.generate();
        assertThat(pkce.verifier()).hasSize(43);
        assertThat(Pkce.challenge(pkce.verifier())).isEqualTo(pkce.challenge());
    }
}
