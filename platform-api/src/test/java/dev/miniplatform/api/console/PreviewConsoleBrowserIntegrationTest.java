package dev.miniplatform.api.console;

import dev.miniplatform.api.support.Catalog;
import dev.miniplatform.api.support.Catalog.RegisteredWallet;
import dev.miniplatform.api.support.CodePackagesForTests;
import dev.miniplatform.api.support.ConsoleBrowser;
import dev.miniplatform.api.support.IntegrationTest;
import dev.miniplatform.api.support.KeycloakUsers.TestUser;
import dev.miniplatform.api.support.Workspace;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The tester-account and preview screens in Debian's Chromium: a member binds a wallet user id, uploads a package as
 * a preview, and sees a scannable QR code (at least 200 px), a copyable deep link and the ticket's countdown; the
 * wallet then opens the very deep link the page shows.
 */
class PreviewConsoleBrowserIntegrationTest extends IntegrationTest {

    @LocalServerPort
    int port;

    private String baseUrl;

    @BeforeEach
    void allowThisPortAsRedirect() {
        baseUrl = "http://127.0.0.1:" + port;
        ConsoleBrowser.allowRedirectsTo(keycloakAdmin(), baseUrl);
    }

    /**
     * The page as a user who is not pointing at anything sees it: the last click leaves the pointer on its button,
     * whose hover shade axe would judge instead of the button's own colors.
     */
    private static void restPointer(ConsoleBrowser browser) {
        new Actions(browser.driver()).moveToElement(browser.await(By.tagName("h3"))).perform();
    }

    @Test
    void aMemberBindsATesterAccountAndPreviewsAPackageByQrCode() throws IOException {
        Workspace workspace = Workspace.create(api, keycloak);
        String appId = workspace.createMiniProgram(workspace.owner, "Preview Tea");
        TestUser admin = keycloak.newUserWithRealmRole("console-admin", "platform-admin");
        String walletName = "Preview Console Wallet " + UUID.randomUUID().toString().substring(0, 6);
        RegisteredWallet wallet = new Catalog(api, keycloak, admin).registerWallet(walletName);
        Path zip = Files.createTempFile("preview", ".zip");
        Files.write(zip, CodePackagesForTests.valid());

        try (ConsoleBrowser owner = new ConsoleBrowser(baseUrl, "en-US")) {
            owner.open("/console/w/" + workspace.tenantId + "/testers");
            owner.logIn(workspace.owner);
            owner.awaitText("Tester accounts");
            owner.choose("tester-wallet", walletName, walletName);
            owner.type("tester-user-id", "phone 1");
            owner.click(By.id("bind-tester"));
            assertThat(owner.fieldError("tester-user-id")).contains("printable");
            assertThat(owner.consoleErrors()).singleElement().asString().contains("400"); // the refused id, as Chromium logs it
            owner.type("tester-user-id", "phone-1");
            owner.click(By.id("bind-tester"));
            owner.await(By.xpath("//table//td[normalize-space(.)='phone-1']"));
            owner.screenshot("preview-01-testers");
            restPointer(owner);
            owner.assertAccessible("tester accounts");
            owner.assertKeyboardReachable("tester accounts", "main");

            owner.open("/console/w/" + workspace.tenantId + "/mini-programs");
            owner.click(By.cssSelector(".open-preview"));
            owner.awaitUrlContains("/mini-programs/" + appId + "/preview");
            owner.choose("preview-wallet", walletName, walletName);
            owner.upload("preview-package", zip);
            owner.click(By.id("upload-preview"));
            WebElement qr = owner.await(By.id("preview-qr"));
            assertThat(qr.getSize().getWidth()).isGreaterThanOrEqualTo(200);
            assertThat(((Number) owner.script("return arguments[0].naturalWidth", qr)).intValue()).isGreaterThanOrEqualTo(200);
            String deepLink = owner.await(By.id("preview-deep-link")).getText();
            assertThat(deepLink).contains("://preview?appId=" + appId + "&preview=");
            String countdown = owner.await(By.id("preview-ticket-countdown")).getText();
            assertThat(countdown).matches("This code works for 1:5\\d:\\d\\d|This code works for 2:00:00");
            owner.driver().manage().timeouts().implicitlyWait(Duration.ZERO);
            new org.openqa.selenium.support.ui.WebDriverWait(owner.driver(), Duration.ofSeconds(10))
                    .until(d -> !d.findElement(By.id("preview-ticket-countdown")).getText().equals(countdown));
            owner.await(By.xpath("//*[@id='previews-table']//td[contains(., 'KB')]"));
            owner.screenshot("preview-02-qr-code");
            restPointer(owner);
            owner.assertAccessible("preview with its QR code");
            owner.assertKeyboardReachable("preview with its QR code", "main");
            assertThat(owner.consoleErrors()).isEmpty();

            String ticket = deepLink.substring(deepLink.indexOf("&preview=") + "&preview=".length());
            api.get().uri("/wallet/v1/previews/" + ticket + "?userId=phone-1")
                    .headers(h -> h.setBearerAuth(wallet.token()))
                    .exchange()
                    .expectStatus().isOk()
                    .expectBody().jsonPath("$.appId").isEqualTo(appId);
        }
    }
}
