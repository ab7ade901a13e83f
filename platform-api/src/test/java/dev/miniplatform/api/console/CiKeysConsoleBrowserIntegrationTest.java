package dev.miniplatform.api.console;

import dev.miniplatform.api.support.ConsoleBrowser;
import dev.miniplatform.api.support.IntegrationTest;
import dev.miniplatform.api.support.KeycloakUsers.TestUser;
import dev.miniplatform.api.support.ReleaseSteps;
import dev.miniplatform.api.support.Workspace;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console's CI key screen in headless Chromium: an owner creates a key for one mini program, a block the server
 * refuses comes back on the field, the key is shown once and works, and revoking it in the table ends it.
 */
class CiKeysConsoleBrowserIntegrationTest extends IntegrationTest {

    @LocalServerPort
    int port;

    private String baseUrl;

    @BeforeEach
    void allowThisPortAsRedirect() {
        baseUrl = "http://127.0.0.1:" + port;
        ConsoleBrowser.allowRedirectsTo(keycloakAdmin(), baseUrl);
    }

    @Test
    void theOwnerCreatesAKeyThatIsShownOnceWorksAndEndsWhenRevoked() {
        Workspace workspace = Workspace.create(api, keycloak);
        String appId = workspace.createMiniProgram(workspace.owner, "Pipeline Noodles");
        String key;

        try (ConsoleBrowser browser = new ConsoleBrowser(baseUrl, "en-US")) {
            browser.open("/console/w/" + workspace.tenantId + "/ci-keys");
            browser.logIn(workspace.owner);
            browser.await(By.xpath("//h3[normalize-space(.)='CI keys']"));
            browser.type("ciKey_name", "main branch");
            browser.choose("ciKey_appIds", null, "西湖茶馆");   // its name in its default language
            browser.click(By.xpath("//label[.//input[@id='ciKey_allowSubmit']]"));
            browser.type("ciKey_allowedSources", "10.1.2.3/8");
            browser.keys(Keys.ENTER);
            browser.assertAccessible("CI keys");
            browser.click(By.id("ci-key-create"));
            // the server's rule, on the field it names
            assertThat(browser.fieldError("ciKey_allowedSources")).contains("did you mean 10.0.0.0/8");
            browser.screenshot("ci-keys-01-server-error-on-field");

            browser.clickable(By.id("ciKey_allowedSources")).sendKeys(Keys.BACK_SPACE);   // drops the refused block
            browser.type("ciKey_allowedSources", "127.0.0.0/8");
            browser.keys(Keys.ENTER);
            browser.click(By.id("ci-key-create"));
            key = browser.await(By.id("ci-key-value")).getText();
            assertThat(key).startsWith("ci-main-branch-").contains(":");
            browser.awaitText("127.0.0.0/8");
            browser.awaitText("upload, preview, submit");
            browser.screenshot("ci-keys-02-created-shown-once");
            browser.assertAccessible("CI keys with a new key shown");

            // shown once: gone after a reload, the table keeps the key without its secret
            browser.driver().navigate().refresh();
            browser.awaitText("main branch");
            assertThat(browser.driver().findElements(By.id("ci-key-value"))).isEmpty();
            assertThat(browser.driver().getPageSource()).doesNotContain(key.substring(key.indexOf(':') + 1));

            String clientId = key.substring(0, key.indexOf(':'));
            TestUser pipeline = new TestUser("ci", "ci", "", keycloak.clientCredentialsToken(clientId, key.substring(key.indexOf(':') + 1)));
            new ReleaseSteps(api).upload(workspace, pipeline, appId, "1.0.0").expectStatus().isCreated();

            browser.click(By.xpath("//button[@aria-label='Revoke main branch']"));
            browser.click(By.xpath("//div[contains(@class,'ant-popconfirm')]//button[contains(@class,'ant-btn-primary')]"));
            browser.awaitText("“main branch” was revoked.");
            browser.await(By.xpath("//span[contains(@class,'ant-tag')][starts-with(normalize-space(.), 'Revoked')]"));
            browser.screenshot("ci-keys-03-revoked");
            assertThat(browser.consoleErrors()).singleElement().asString().contains("/ci-keys", "400");

            new ReleaseSteps(api).upload(workspace, pipeline, appId, "1.0.1").expectStatus().isUnauthorized();
        }
    }
}
