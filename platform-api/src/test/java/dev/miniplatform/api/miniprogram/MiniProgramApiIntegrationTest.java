package dev.miniplatform.api.miniprogram;

import dev.miniplatform.api.support.Images;
import dev.miniplatform.api.support.IntegrationTest;
import dev.miniplatform.api.support.Workspace;
import dev.miniplatform.model.hashing.Sha256;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.matchesPattern;

class MiniProgramApiIntegrationTest extends IntegrationTest {

    Workspace workspace;

    @BeforeEach
    void newWorkspace() {
        workspace = Workspace.create(api, keycloak);
    }

    @Test
    void ownerCreatesReadsListsModifiesAndDeletesAMiniProgram() {
        api.post().uri(workspace.path("/mini-programs"))
                .headers(h -> h.setBearerAuth(workspace.owner.accessToken()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Workspace.validMiniProgram("West Lake Tea"))
                .exchange()
                .expectStatus().isCreated()
                .expectBody()
                .jsonPath("$.appId").value(matchesPattern("mp[a-z2-7]{20}"))
                .jsonPath("$.revision").isEqualTo(1)
                .jsonPath("$.defaultLanguage").isEqualTo("zh-CN")
                .jsonPath("$.releaseTo[0]").isEqualTo("CN")
                .jsonPath("$.localizations['en-US'].name").isEqualTo("West Lake Tea")
                .jsonPath("$.localizations['zh-CN'].name").isEqualTo("西湖茶馆")
                .jsonPath("$.servicePhone").isEqualTo("0571-8888888");
        String appId = workspace.createMiniProgram(workspace.owner, "Second Tea");

        api.get().uri(workspace.path("/mini-programs?size=1&page=1"))
                .headers(h -> h.setBearerAuth(workspace.owner.accessToken()))
                .exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.total").isEqualTo(2)
                .jsonPath("$.items.length()").isEqualTo(1)
                .jsonPath("$.items[0].appId").isEqualTo(appId);

        Map<String, Object> modified = Workspace.validMiniProgram("Second Tea House");
        modified.put("revision", 1);
        api.put().uri(workspace.path("/mini-programs/" + appId))
                .headers(h -> h.setBearerAuth(workspace.owner.accessToken()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(modified)
                .exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.revision").isEqualTo(2)
                .jsonPath("$.localizations['en-US'].name").isEqualTo("Second Tea House");

        api.delete().uri(workspace.path("/mini-programs/" + appId))
                .headers(h -> h.setBearerAuth(workspace.owner.accessToken()))
                .exchange()
                .expectStatus().isNoContent();
        api.get().uri(workspace.path("/mini-programs/" + appId))
                .headers(h -> h.setBearerAuth(workspace.owner.accessToken()))
                .exchange()
                .expectStatus().isNotFound();
    }

    @Test
    void everyFailingFieldIsReportedAndNothingIsWritten() {
        Map<String, Object> bad = Map.of(
                "defaultLanguage", "en-US",
                "releaseTo", List.of("CN", "MARS"),
                "industry", "no.such-industry",
                "localizations", Map.of("en-US", Map.of("name", "ab", "tagline", "too short", "description", "also too short")),
                "servicePhone", "571-8888888",
                "serviceEmail", "not-an-email");

        api.post().uri(workspace.path("/mini-programs"))
                .headers(h -> h.setBearerAuth(workspace.owner.accessToken()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(bad)
                .exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.errors[*].field").value(containsInAnyOrder("releaseTo[1]", "industry",
                        "localizations.en-US.name", "localizations.en-US.tagline", "localizations.en-US.description",
                        "servicePhone", "serviceEmail", "defaultLanguage"))
                .jsonPath("$.errors[?(@.field == 'defaultLanguage')].code").value(hasItem("cn-requires-chinese"));

        api.get().uri(workspace.path("/mini-programs"))
                .headers(h -> h.setBearerAuth(workspace.owner.accessToken()))
                .exchange()
                .expectBody().jsonPath("$.total").isEqualTo(0);
    }

    @Test
    void nameLengthCountsChineseCharactersTwiceAtTheBoundaries() {
        assertNameAccepted("abc", true);
        assertNameAccepted("ab", false);
        assertNameAccepted("x".repeat(30), true);
        assertNameAccepted("x".repeat(31), false);
        assertNameAccepted("茶".repeat(15), true);
        assertNameAccepted("茶".repeat(16), false);
        assertNameAccepted("茶a", true);
    }

    @Test
    void missingFieldsAreRequiredOnCreate() {
        api.post().uri(workspace.path("/mini-programs"))
                .headers(h -> h.setBearerAuth(workspace.owner.accessToken()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{}")
                .exchange()
                .expectStatus().isBadRequest()
                .expectBody()
                .jsonPath("$.errors[*].field").value(containsInAnyOrder("defaultLanguage", "releaseTo", "industry",
                        "localizations", "servicePhone", "serviceEmail"));
    }

    @Test
    void releasedToChinaTheDefaultLanguageCannotChange() {
        String appId = workspace.createMiniProgram(workspace.owner, "China Tea");
        Map<String, Object> english = Workspace.validMiniProgram("China Tea");
        english.put("defaultLanguage", "zh-TW");
        english.put("localizations", Map.of("zh-TW", Map.of("name", "茶館", "tagline", "一杯好茶，一段好時光", "description",
                "西湖邊的百年茶館，提供龍井與碧螺春等名茶。")));
        english.put("revision", 1);

        api.put().uri(workspace.path("/mini-programs/" + appId))
                .headers(h -> h.setBearerAuth(workspace.owner.accessToken()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(english)
                .exchange()
                .expectStatus().isBadRequest()
                .expectBody()
                .jsonPath("$.errors[0].field").isEqualTo("defaultLanguage")
                .jsonPath("$.errors[0].code").isEqualTo("immutable");
    }

    @Test
    void aStaleRevisionIsAConflict() {
        String appId = workspace.createMiniProgram(workspace.owner, "Stale Tea");
        Map<String, Object> change = Workspace.validMiniProgram("Fresh Tea");
        change.put("revision", 1);
        api.put().uri(workspace.path("/mini-programs/" + appId))
                .headers(h -> h.setBearerAuth(workspace.owner.accessToken()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(change)
                .exchange()
                .expectStatus().isOk();

        api.put().uri(workspace.path("/mini-programs/" + appId))
                .headers(h -> h.setBearerAuth(workspace.owner.accessToken()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(change)
                .exchange()
                .expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.type").isEqualTo("urn:mini-program-platform:problem:conflict");
    }

    @Test
    void theWorkspaceHoldsAtMostTenMiniPrograms() {
        for (int i = 0; i < 10; i++) {
            workspace.createMiniProgram(workspace.owner, "Tea number " + i);
        }

        api.post().uri(workspace.path("/mini-programs"))
                .headers(h -> h.setBearerAuth(workspace.owner.accessToken()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Workspace.validMiniProgram("One too many"))
                .exchange()
                .expectStatus().isEqualTo(409);
    }

    @Test
    void aSquarePngLogoIsStoredWithItsHashAndServedBack() {
        String appId = workspace.createMiniProgram(workspace.owner, "Logo Tea");
        byte[] png = image("png", 64, 64);

        String sha = api.put().uri(workspace.path("/mini-programs/" + appId + "/logo"))
                .headers(h -> h.setBearerAuth(workspace.owner.accessToken()))
                .contentType(MediaType.IMAGE_JPEG)
                .bodyValue(png)
                .exchange()
                .expectStatus().isOk()
                .expectBody(Map.class)
                .returnResult()
                .getResponseBody()
                .get("logo").toString();
        assertThat(sha).contains(Sha256.hexOf(png));

        api.get().uri(workspace.path("/mini-programs/" + appId + "/logo"))
                .headers(h -> h.setBearerAuth(workspace.owner.accessToken()))
                .exchange()
                .expectStatus().isOk()
                .expectHeader().contentType(MediaType.IMAGE_PNG)
                .expectHeader().valueEquals("ETag", "\"" + Sha256.hexOf(png) + "\"")
                .expectBody(byte[].class).value(bytes -> assertThat(bytes).isEqualTo(png));
    }

    @Test
    void logosAreJudgedByContentSizeAndShape() {
        String appId = workspace.createMiniProgram(workspace.owner, "Logo Rules");
        uploadLogo(appId, image("jpg", 80, 80)).expectStatus().isOk();
        uploadLogo(appId, image("png", 64, 32)).expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].code").isEqualTo("aspect-ratio");
        uploadLogo(appId, image("gif", 64, 64)).expectStatus().isEqualTo(415);
        uploadLogo(appId, "not an image at all".getBytes()).expectStatus().isEqualTo(415);
        uploadLogo(appId, padded(image("png", 16, 16), 256 * 1024)).expectStatus().isOk();
        uploadLogo(appId, padded(image("png", 16, 16), 256 * 1024 + 1)).expectStatus().isEqualTo(413);
        uploadLogo(appId, padded(image("png", 16, 16), 255 * 1024)).expectStatus().isOk();
    }

    @Test
    void theIndustryCatalogIsSearchableInEnglishAndChinese() {
        api.get().uri("/api/v1/industries?q=tea")
                .headers(h -> h.setBearerAuth(workspace.owner.accessToken()))
                .exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$[*].code").value(hasItem("food.tea-coffee"));
        api.get().uri("/api/v1/industries?q=茶")
                .headers(h -> h.setBearerAuth(workspace.owner.accessToken()))
                .exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$[*].code").value(hasItem("food.tea-coffee"));
        api.get().uri("/api/v1/industries?q=%25")
                .headers(h -> h.setBearerAuth(workspace.owner.accessToken()))
                .exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.length()").isEqualTo(0);
        api.get().uri("/api/v1/industries?q=" + "x".repeat(51))
                .headers(h -> h.setBearerAuth(workspace.owner.accessToken()))
                .exchange()
                .expectStatus().isBadRequest();
    }

    private void assertNameAccepted(String name, boolean accepted) {
        Map<String, Object> body = Workspace.validMiniProgram(name);
        body.put("localizations", Map.of("zh-CN", Map.of("name", name, "tagline", "一杯好茶，一段好时光，欢迎光临",
                "description", "西湖边的百年茶馆，提供龙井、碧螺春等名茶，以及精致茶点。")));
        var response = api.post().uri(workspace.path("/mini-programs"))
                .headers(h -> h.setBearerAuth(workspace.owner.accessToken()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body)
                .exchange();
        if (accepted) {
            response.expectStatus().isCreated();
        } else {
            response.expectStatus().isBadRequest()
                    .expectBody().jsonPath("$.errors[0].field").isEqualTo("localizations.zh-CN.name");
        }
    }

    private org.springframework.test.web.reactive.server.WebTestClient.ResponseSpec uploadLogo(String appId, byte[] bytes) {
        return api.put().uri(workspace.path("/mini-programs/" + appId + "/logo"))
                .headers(h -> h.setBearerAuth(workspace.owner.accessToken()))
                .contentType(MediaType.APPLICATION_OCTET_STREAM)
                .bodyValue(bytes)
                .exchange();
    }

    private static byte[] image(String format, int width, int height) {
        return Images.of(format, width, height);
    }

    private static byte[] padded(byte[] png, int size) {
        return Arrays.copyOf(png, size);
    }
}
