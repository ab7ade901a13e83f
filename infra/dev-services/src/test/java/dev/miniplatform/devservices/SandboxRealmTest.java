package dev.miniplatform.devservices;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;

/** The realm an operator imports is the production one; the sandbox differs from it in exactly three places. */
class SandboxRealmTest {

    @Test
    void productionRealmRequiresVerifiedEmailAndThrottlesPasswordGuessing() throws IOException {
        ObjectNode realm = SandboxRealm.production();

        assertThat(realm.path("verifyEmail").asBoolean()).isTrue();
        assertThat(realm.path("bruteForceProtected").asBoolean()).isTrue();
        assertThat(realm.path("permanentLockout").asBoolean()).isFalse();
        assertThat(realm.path("failureFactor").asInt()).isBetween(3, 10);
        assertThat(realm.path("maxFailureWaitSeconds").asInt()).isGreaterThanOrEqualTo(300);
        assertThat(client(realm, SandboxRealm.PASSWORD_GRANT_CLIENT).path("enabled").asBoolean()).isFalse();
        assertThat(client(realm, SandboxRealm.BACKEND_CLIENT).has("secret")).isFalse();
        assertThat(realm.path("roles").path("realm").findValuesAsString("name")).contains("platform-operator");
    }

    @Test
    void sandboxRelaxesOnlyEmailVerificationThePasswordGrantClientAndTheKnownSecret() throws IOException {
        ObjectNode production = SandboxRealm.production();
        ObjectNode sandbox = SandboxRealm.sandbox(SandboxRealm.production());

        assertThat(sandbox.path("verifyEmail").asBoolean()).isFalse();
        assertThat(client(sandbox, SandboxRealm.PASSWORD_GRANT_CLIENT).path("enabled").asBoolean()).isTrue();
        assertThat(client(sandbox, SandboxRealm.BACKEND_CLIENT).path("secret").asString())
                .isEqualTo(SandboxRealm.BACKEND_SECRET);
        assertThat(sandbox.path("bruteForceProtected").asBoolean()).isTrue();

        // undo the three relaxations: nothing else differs
        sandbox.put("verifyEmail", true);
        ((ObjectNode) client(sandbox, SandboxRealm.PASSWORD_GRANT_CLIENT)).put("enabled", false);
        ((ObjectNode) client(sandbox, SandboxRealm.BACKEND_CLIENT)).remove("secret");
        assertThat(sandbox).isEqualTo(production);
    }

    private static JsonNode client(JsonNode realm, String clientId) {
        for (JsonNode client : realm.path("clients")) {
            if (clientId.equals(client.path("clientId").asString())) {
                return client;
            }
        }
        throw new AssertionError("no client " + clientId);
    }
}
