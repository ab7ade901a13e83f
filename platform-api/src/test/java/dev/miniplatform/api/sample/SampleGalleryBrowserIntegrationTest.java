package dev.miniplatform.api.sample;

import dev.miniplatform.api.support.ConsoleBrowser;
import dev.miniplatform.api.support.Images;
import dev.miniplatform.api.support.IntegrationTest;
import dev.miniplatform.api.support.KeycloakUsers.TestUser;
import dev.miniplatform.api.support.Workspace;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample gallery screen in a real headless Chromium, logged in through Keycloak's pages: a merchant's owner
 * starts a mini program from a sample (its first version is the sample's package), an ISV's owner creates a template
 * from one; both languages; no browser console errors.
 */
class SampleGalleryBrowserIntegrationTest extends IntegrationTest {

    private static final String MODAL = ".ant-modal-wrap:not([style*='display: none'])";

    @LocalServerPort
    int port;

    private String baseUrl;

    @BeforeEach
    void allowThisPortAsRedirect() {
        baseUrl = "http://127.0.0.1:" + port;
        ConsoleBrowser.allowRedirectsTo(keycloakAdmin(), baseUrl);
    }

    @Test
    void aMerchantStartsAMiniProgramFromASampleCardAndAnIsvCreatesATemplateFromOne() throws IOException {
        Workspace merchant = Workspace.create(api, keycloak);
        Path logo = Files.createTempFile("logo", ".png");
        Files.write(logo, Images.of("png", 128, 128));
        String sampleSha256 = sampleSha256(merchant.owner, "menu-shop", "1.0.0");

        try (ConsoleBrowser browser = new ConsoleBrowser(baseUrl, "en-US")) {
            browser.open("/console/w/" + merchant.tenantId + "/samples");
            browser.logIn(merchant.owner);
            browser.awaitText("Menu and order shop");
            browser.awaitText("Membership card");
            browser.awaitText("Store locator");
            browser.awaitText("pages/menu/menu");
            browser.screenshot("20-sample-gallery");
            browser.assertAccessible("sample gallery, merchant");
            browser.assertKeyboardReachable("sample gallery, merchant", "main");
            assertThat(browser.driver().findElements(By.id("template-menu-shop-1.0.0"))).isEmpty();

            browser.click(By.id("start-menu-shop-1.0.0"));
            browser.awaitUrlContains("/samples/menu-shop/1.0.0/start");
            browser.awaitText("New mini program from “Menu and order shop”");
            browser.type("miniProgram_localizations_zh-CN_name", "西湖面馆");
            browser.type("miniProgram_localizations_zh-CN_tagline", "一碗好面，一段好时光，欢迎光临");
            browser.type("miniProgram_localizations_zh-CN_description",
                    "西湖边的老面馆，提供片儿川、虾爆鳝面等杭州名面，以及安静的用餐空间。");
            browser.upload("logo-file", logo);
            browser.await(By.id("logo-preview"));
            browser.choose("miniProgram_industry", "restaurant", "Restaurant");
            browser.type("miniProgram_servicePhone", "0571-8888888");
            browser.type("miniProgram_serviceEmail", "service@example.com");
            browser.screenshot("21-start-from-sample");
            browser.assertAccessible("start from a sample");
            browser.assertKeyboardReachable("start from a sample", "main");
            browser.click(By.id("mini-program-submit"));
            browser.awaitUrlContains("/mini-programs/");
            String appId = browser.driver().getCurrentUrl().replaceAll(".*/mini-programs/", "").replaceAll("[/?#].*", "");
            JsonNode versions = get(merchant.owner, merchant.path("/mini-programs/" + appId + "/versions"));
            assertThat(versions.size()).isEqualTo(1);
            assertThat(versions.get(0).get("version").asString()).isEqualTo("1.0.0");
            assertThat(versions.get(0).get("sha256").asString()).isEqualTo(sampleSha256);

            browser.open("/console/w/" + merchant.tenantId + "/samples");
            browser.choose("language-switch", null, "简体中文");
            browser.awaitText("示例库");
            browser.awaitText("点餐小店");
            browser.awaitText("用此示例创建小程序");
            browser.screenshot("22-sample-gallery-zh");
            browser.assertAccessible("sample gallery, Chinese");
            assertThat(browser.consoleErrors()).isEmpty();
        }

        TestUser isvOwner = keycloak.newUser("isv-owner");
        String isvId = api.post().uri("/api/v1/tenants")
                .headers(h -> h.setBearerAuth(isvOwner.accessToken()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("kind", "ISV", "name", "Gallery ISV " + isvOwner.username()))
                .exchange()
                .expectStatus().isCreated()
                .expectBody(JsonNode.class).returnResult().getResponseBody().get("id").asString();
        try (ConsoleBrowser browser = new ConsoleBrowser(baseUrl, "en-US")) {
            browser.open("/console/w/" + isvId + "/samples");
            browser.logIn(isvOwner);
            browser.click(By.id("template-store-locator-1.0.0"));
            assertThat(browser.await(By.id("template_name")).getDomProperty("value")).isEqualTo("Store locator");
            browser.type("template_name", "Supermarket stores");
            browser.screenshot("23-template-from-sample");
            browser.assertAccessible("template from a sample dialog");
            browser.assertKeyboardReachable("template from a sample dialog", MODAL);
            browser.click(By.id("template-submit"));
            browser.awaitText("Template created, with the sample as its version 1.0.0.");
            assertThat(browser.driver().findElements(By.id("start-store-locator-1.0.0"))).isEmpty();
            assertThat(browser.consoleErrors()).isEmpty();
        }
        JsonNode templates = get(isvOwner, "/api/v1/tenants/" + isvId + "/templates");
        assertThat(templates.get("items").get(0).get("name").asString()).isEqualTo("Supermarket stores");
        String templateId = templates.get("items").get(0).get("id").asString();
        assertThat(get(isvOwner, "/api/v1/tenants/" + isvId + "/templates/" + templateId + "/versions").get(0)
                .get("sha256").asString()).isEqualTo(sampleSha256(isvOwner, "store-locator", "1.0.0"));
    }

    private String sampleSha256(TestUser as, String id, String version) {
        for (JsonNode sample : get(as, "/api/v1/samples")) {
            if (sample.get("id").asString().equals(id) && sample.get("version").asString().equals(version)) {
                return sample.get("sha256").asString();
            }
        }
        throw new AssertionError("no sample " + id + "@" + version);
    }

    private JsonNode get(TestUser as, String path) {
        return api.get().uri(path)
                .headers(h -> h.setBearerAuth(as.accessToken()))
                .exchange()
                .expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
    }
}
