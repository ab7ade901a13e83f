package dev.miniplatform.devservices;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The realm a dev or test Keycloak imports: the production realm export ({@value #RESOURCE}, which requires
 * verified email, has no client secret and disables the password-grant client) with exactly three sandbox
 * relaxations. Everything else, brute-force protection included, stays as production has it.
 */
final class SandboxRealm {

    static final String RESOURCE = "/keycloak/platform-realm.json";
    /** Known to the dev and test profiles ({@code platform.keycloak.admin-client-secret}); never to production. */
    static final String BACKEND_SECRET = "dev-platform-backend-secret";
    static final String PASSWORD_GRANT_CLIENT = "platform-cli";
    static final String BACKEND_CLIENT = "platform-backend";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private SandboxRealm() {
    }

    /** Writes the sandbox realm to {@code target} (a file Keycloak imports). */
    static void writeTo(Path target) throws IOException {
        Files.createDirectories(target.getParent());
        Files.writeString(target, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(sandbox(production())));
    }

    static ObjectNode sandbox(ObjectNode realm) {
        // people who sign up or change their email in a sandbox have no mailbox to confirm it with
        realm.put("verifyEmail", false);
        for (JsonNode client : realm.path("clients")) {
            ObjectNode each = (ObjectNode) client;
            String clientId = each.path("clientId").asString();
            if (PASSWORD_GRANT_CLIENT.equals(clientId)) {
                each.put("enabled", true);
            }
            if (BACKEND_CLIENT.equals(clientId)) {
                each.put("secret", BACKEND_SECRET);
            }
        }
        return realm;
    }

    static ObjectNode production() throws IOException {
        try (InputStream in = SandboxRealm.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IOException("realm resource " + RESOURCE + " is missing from the classpath (infra jar)");
            }
            return (ObjectNode) JSON.readTree(in);
        }
    }
}
