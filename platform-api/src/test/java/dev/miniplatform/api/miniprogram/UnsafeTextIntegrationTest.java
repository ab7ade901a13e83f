package dev.miniplatform.api.miniprogram;

import dev.miniplatform.api.support.IntegrationTest;
import dev.miniplatform.api.support.KeycloakUsers.TestUser;
import dev.miniplatform.api.support.Workspace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.http.MediaType;
import tools.jackson.databind.json.JsonMapper;

import java.util.Map;

/**
 * Text that must not pass, sent the way an attacker sends it: as JSON escapes. A lone surrogate can only arrive
 * as {@code \ud800} (UTF-8 cannot encode it), and PostgreSQL would store it as {@code ?}. Each is a 400 problem
 * naming the field, and nothing is stored.
 */
class UnsafeTextIntegrationTest extends IntegrationTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** JSON string contents, escapes and all, exactly as they travel on the wire. */
    @ParameterizedTest
    @ValueSource(strings = {
            "Tea\\ud800House",             // lone high surrogate
            "Tea\\udc00House",             // lone low surrogate
            "\\u200b\\u200b\\u200b",       // only zero-width spaces
            "\\u200d\\u200c\\u2060\\ufeff", // only joiners, a word joiner and a BOM
            "\\u202eesuoH aeT",            // right-to-left override
            "Tea \\u2066House\\u2069",     // isolates
            "\\ufeffTea House",            // byte order mark
            "Tea\\u0000House",             // NUL
            "Tea\\u009bHouse",             // C1 control
    })
    void aWorkspaceNameWithUnsafeCharactersIs400NamingTheFieldAndNothingIsCreated(String escaped) {
        TestUser user = keycloak.newUser("texter");

        api.post().uri("/api/v1/tenants")
                .headers(h -> h.setBearerAuth(user.accessToken()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"kind\": \"MERCHANT\", \"name\": \"" + escaped + "\"}")
                .exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.errors.length()").isEqualTo(1)
                .jsonPath("$.errors[0].field").isEqualTo("name")
                .jsonPath("$.errors[0].code").isEqualTo("characters");
        api.get().uri("/api/v1/tenants")
                .headers(h -> h.setBearerAuth(user.accessToken()))
                .exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.length()").isEqualTo(0);
    }

    @Test
    void aMiniProgramWithALoneSurrogateInOneLocalizedNameIs400NamingThatFieldAndNothingIsStored() {
        Workspace workspace = Workspace.create(api, keycloak);
        String body = JSON.writeValueAsString(Workspace.validMiniProgram("MARKER"))
                .replace("MARKER", "Tea\\ud83dHouse");

        api.post().uri(workspace.path("/mini-programs"))
                .headers(h -> h.setBearerAuth(workspace.owner.accessToken()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body)
                .exchange()
                .expectStatus().isBadRequest()
                .expectBody()
                .jsonPath("$.errors.length()").isEqualTo(1)
                .jsonPath("$.errors[0].field").isEqualTo("localizations.en-US.name")
                .jsonPath("$.errors[0].code").isEqualTo("characters");
        api.get().uri(workspace.path("/mini-programs"))
                .headers(h -> h.setBearerAuth(workspace.owner.accessToken()))
                .exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.items.length()").isEqualTo(0);
    }

    @Test
    void anInviteeNameOfOnlyABomIs400NamingTheField() {
        Workspace workspace = Workspace.create(api, keycloak);

        api.post().uri(workspace.path("/invitations"))
                .headers(h -> h.setBearerAuth(workspace.owner.accessToken()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"name\": \"\\ufeff\\ufeff\", \"email\": \"bom@example.com\", \"role\": \"MASTER\"}")
                .exchange()
                .expectStatus().isBadRequest()
                .expectBody()
                .jsonPath("$.errors[0].field").isEqualTo("name")
                .jsonPath("$.errors[0].code").isEqualTo("characters");
    }

    @Test
    void decomposedTextIsStoredInNfc() {
        TestUser user = keycloak.newUser("nfc");

        Map<?, ?> created = api.post().uri("/api/v1/tenants")
                .headers(h -> h.setBearerAuth(user.accessToken()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"kind\": \"MERCHANT\", \"name\": \"Cafe\\u0301 Tea\"}")
                .exchange()
                .expectStatus().isCreated()
                .expectBody(Map.class)
                .returnResult()
                .getResponseBody();

        api.get().uri("/api/v1/tenants")
                .headers(h -> h.setBearerAuth(user.accessToken()))
                .exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$[0].name").isEqualTo("Caf\u00e9 Tea")
                .jsonPath("$[0].id").isEqualTo(created.get("id"));
    }
}
