package dev.miniplatform.api.console;

import dev.miniplatform.api.support.Catalog;
import dev.miniplatform.api.support.CodePackagesForTests;
import dev.miniplatform.api.support.ConsoleBrowser;
import dev.miniplatform.api.support.IntegrationTest;
import dev.miniplatform.api.support.KeycloakUsers.TestUser;
import dev.miniplatform.api.support.Workspace;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.interactions.Actions;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The debug-and-configure screens (tester accounts, preview with its QR code, server domains) in Simplified Chinese:
 * every text of the flow comes from the Chinese messages, nothing falls back to English or to a message key, and the
 * screens pass the same accessibility check as in English. Keeps the Chinese screenshots of docs/screenshots current.
 */
class DebugScreensInChineseBrowserIntegrationTest extends IntegrationTest {

    @LocalServerPort
    int port;

    private String baseUrl;

    @BeforeEach
    void allowThisPortAsRedirect() {
        baseUrl = "http://127.0.0.1:" + port;
        ConsoleBrowser.allowRedirectsTo(keycloakAdmin(), baseUrl);
    }

    @Test
    void testersPreviewAndServerDomainsSpeakChinese() throws IOException {
        Workspace workspace = Workspace.create(api, keycloak);
        String appId = workspace.createMiniProgram(workspace.owner, "Chinese Preview Tea");
        TestUser admin = keycloak.newUserWithRealmRole("zh-admin", "platform-admin");
        String walletName = "钱包 " + UUID.randomUUID().toString().substring(0, 6);
        new Catalog(api, keycloak, admin).registerWallet(walletName);
        Path zip = Files.createTempFile("preview-zh", ".zip");
        Files.write(zip, CodePackagesForTests.valid());

        try (ConsoleBrowser owner = new ConsoleBrowser(baseUrl, "zh-CN")) {
            owner.open("/console/w/" + workspace.tenantId + "/testers");
            owner.logIn(workspace.owner);
            owner.awaitText("体验账号");
            owner.choose("tester-wallet", walletName, walletName);
            owner.type("tester-user-id", "phone-zh");
            owner.click(By.id("bind-tester"));
            owner.await(By.xpath("//table//td[normalize-space(.)='phone-zh']"));
            assertNoEnglishOrKeys(owner);
            rest(owner);
            owner.screenshot("24-tester-accounts-zh");
            owner.assertAccessible("体验账号");

            owner.open("/console/w/" + workspace.tenantId + "/mini-programs/" + appId + "/preview");
            owner.awaitText("预览 " + appId);
            owner.choose("preview-wallet", walletName, walletName);
            owner.upload("preview-package", zip);
            owner.click(By.id("upload-preview"));
            owner.await(By.id("preview-qr"));
            owner.awaitText("使用 " + walletName + " 扫码");
            assertNoEnglishOrKeys(owner);
            rest(owner);
            owner.screenshot("25-preview-qr-code-zh");
            owner.assertAccessible("预览");

            owner.open("/console/w/" + workspace.tenantId + "/mini-programs/" + appId);
            owner.click(By.xpath("//div[@role='tab' and normalize-space(.)='服务器域名']"));
            owner.await(By.id("domains-rules"));
            owner.click(By.id("domains-request-add"));
            owner.type("domains_request_0", "https://1.2.3.4");
            assertThat(owner.fieldError("domains_request_0")).doesNotContainPattern("[A-Za-z]{4,} [a-z]{3,}");
            assertNoEnglishOrKeys(owner);
            rest(owner);
            owner.screenshot("26-server-domains-zh");
            owner.assertAccessible("服务器域名");
            assertThat(owner.consoleErrors()).isEmpty();
        }
    }

    /** No message key (`preview.title`) and no English sentence in the page's visible text. */
    private static void assertNoEnglishOrKeys(ConsoleBrowser browser) {
        String text = browser.await(By.tagName("main")).getText();
        assertThat(text).doesNotContainPattern("\\b(preview|testers|domains|nav)\\.[a-zA-Z]+");
        assertThat(text).as("an English sentence on a Chinese screen")
                .doesNotContainPattern("\\b(?:The|This|Your|Upload|Bind|Add|Save|Wallet|Scan|Delete)\\b [a-z]+");
    }

    /** The pointer off the last button, so axe judges the button's colours, not its hover shade. */
    private static void rest(ConsoleBrowser browser) {
        new Actions(browser.driver()).moveToElement(browser.await(By.tagName("h3"))).perform();
    }
}
