package dev.miniplatform.api.console;

import dev.miniplatform.api.WorkspaceProperties;
import dev.miniplatform.api.support.CodePackagesForTests;
import dev.miniplatform.api.support.ConsoleBrowser;
import dev.miniplatform.api.support.Images;
import dev.miniplatform.api.support.IntegrationTest;
import dev.miniplatform.api.support.KeycloakUsers.TestUser;
import dev.miniplatform.api.support.ReleaseSteps;
import dev.miniplatform.api.support.Workspace;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.miniplatform.api.support.ConsoleBrowser.button;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console in a real headless Chromium against the running platform and Keycloak, logging in through
 * Keycloak's own login page: the owner's first sign-in and wizard with inline field errors, the invitation accepted
 * by a second user who then sees only the mini program assigned to them, and a version released to PROD through
 * review. Each person gets a browser with a fresh profile; every page must leave the browser console free of errors.
 * Screenshots of the main screens go to target/console-screenshots (a set is kept in docs/screenshots).
 */
class ConsoleBrowserIntegrationTest extends IntegrationTest {

    @LocalServerPort
    int port;

    @Autowired
    WorkspaceProperties workspaceProperties;

    private String baseUrl;

    @BeforeEach
    void allowThisPortAsRedirect() {
        baseUrl = "http://127.0.0.1:" + port;
        ConsoleBrowser.allowRedirectsTo(keycloakAdmin(), baseUrl);
    }

    @Test
    void ownerSignsUpRunsTheWizardAndInvitesADeveloperWhoSeesOnlyTheAssignedMiniProgram() throws IOException {
        TestUser owner = keycloak.newUser("console-owner");
        TestUser developer = keycloak.newUser("console-dev");
        String workspaceName = "West Lake Noodles " + owner.username().substring(owner.username().length() - 4);
        Path logo = Files.createTempFile("logo", ".png");
        Files.write(logo, Images.of("png", 128, 128));
        Path wideLogo = Files.createTempFile("wide", ".png");
        Files.write(wideLogo, Images.of("png", 200, 100));

        try (ConsoleBrowser browser = new ConsoleBrowser(baseUrl, "en-US")) {
            browser.open("/console/");
            browser.await(By.id("username"));
            browser.screenshot("01-keycloak-login");
            browser.logIn(owner);

            // first sign-in: account type and workspace name
            browser.awaitUrlContains("/console/welcome");
            browser.click(By.xpath("//label[.//input[@id='kind-merchant']]"));
            browser.type("workspace_name", workspaceName);
            browser.screenshot("02-first-sign-in");
            browser.click(By.id("workspace-submit"));

            // wizard step 1: the counters and rules run while typing
            browser.awaitUrlContains("/wizard");
            browser.type("miniProgram_localizations_zh-CN_name", "面");
            assertThat(browser.fieldError("miniProgram_localizations_zh-CN_name")).contains("3 to 30").contains("2");
            browser.upload("logo-file", wideLogo);
            browser.awaitText("must be square");

            // a rule only the server knows (no invisible characters) comes back next to its field
            browser.setValue("miniProgram_localizations_zh-CN_name", "西湖\u200B面馆");
            browser.type("miniProgram_localizations_zh-CN_tagline", "一碗好面，一段好时光，欢迎光临");
            browser.type("miniProgram_localizations_zh-CN_description",
                    "西湖边的老面馆，提供片儿川、虾爆鳝面等杭州名面，以及安静的用餐空间。");
            browser.upload("logo-file", logo);
            browser.await(By.id("logo-preview"));
            browser.choose("miniProgram_industry", "tea", "Tea");
            browser.type("miniProgram_servicePhone", "0571-8888888");
            browser.type("miniProgram_serviceEmail", "service@example.com");
            browser.click(By.id("mini-program-submit"));
            assertThat(browser.fieldError("miniProgram_localizations_zh-CN_name")).contains("U+200B");
            browser.screenshot("03-wizard-step1-field-error");
            // Chromium logs every 4xx response; this one was the point of the step, and nothing else was logged
            assertThat(browser.consoleErrors()).singleElement().asString().contains("/mini-programs", "400");

            browser.type("miniProgram_localizations_zh-CN_name", "西湖面馆");
            browser.click(By.id("mini-program-submit"));

            // wizard step 2: a developer needs an assigned mini program
            browser.await(By.id("invite_name"));
            browser.type("invite_name", "Li Lei");
            browser.type("invite_email", developer.email());
            browser.click(By.id("invite-submit"));
            assertThat(browser.fieldError("invite_miniPrograms")).contains("at least one mini program");
            browser.choose("invite_miniPrograms", null, "西湖面馆");
            browser.screenshot("04-wizard-step2-add-members");
            browser.click(By.id("invite-submit"));
            browser.awaitText("Invitation sent to " + developer.email());
            browser.click(By.id("wizard-enter-console"));

            browser.awaitUrlContains("/mini-programs");
            browser.awaitText("西湖面馆");
            // what the workspace uses of its quotas: the mini program, and the logo's bytes
            browser.awaitText("Mini programs: 1 of " + workspaceProperties.maxMiniPrograms());
            assertThat(browser.await(By.id("usage-storage")).getText())
                    .matches("Storage: [0-9.]+ (B|KiB) of " + workspaceProperties.storageQuotaBytes() / (1024 * 1024) + " MiB");
            browser.screenshot("05-manage-mini-programs");

            browser.click(By.xpath("//li[@role='menuitem' and normalize-space(.)='Members']"));
            browser.await(By.xpath("//td[normalize-space(.)='" + developer.email() + "']"));
            browser.await(By.xpath("//td[contains(normalize-space(.), '(you)')]"));
            browser.screenshot("05b-members-and-invitations");
            browser.click(By.xpath("//li[@role='menuitem' and normalize-space(.)='Audit log']"));
            browser.await(By.cssSelector("#audit-table .ant-table-row"));
            browser.screenshot("05c-audit-log");
            browser.click(By.xpath("//li[@role='menuitem' and normalize-space(.)='Manage Mini Program']"));
            browser.awaitText("西湖面馆");

            // the browser's language is the default; Chinese on request
            browser.choose("language-switch", null, "简体中文");
            browser.awaitText("管理小程序");
            browser.screenshot("06-manage-mini-programs-zh");
            assertThat(browser.consoleErrors()).isEmpty();
            assertThat((Long) browser.script("return window.localStorage.length")).isLessThanOrEqualTo(1L);
        }

        // the owner adds a second mini program the developer is not assigned to
        TestUser ownerNow = keycloak.login(owner);
        String tenantId = tenantOf(ownerNow);
        Map<String, Object> other = Workspace.validMiniProgram("Hidden Tea Room");
        api.post().uri("/api/v1/tenants/" + tenantId + "/mini-programs")
                .headers(h -> h.setBearerAuth(ownerNow.accessToken()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(other)
                .exchange()
                .expectStatus().isCreated();

        // the invitee follows the mail's link, logs in, accepts
        String token = Workspace.latestInvitationToken(developer.email());
        try (ConsoleBrowser browser = new ConsoleBrowser(baseUrl, "en-US")) {
            browser.open("/console/invitations#token=" + token);
            browser.logIn(developer);
            browser.await(By.id("accept-invitation"));
            assertThat(browser.driver().getCurrentUrl()).doesNotContain(token);
            browser.screenshot("07-invitation");
            browser.click(By.id("accept-invitation"));

            browser.awaitUrlContains("/w/" + tenantId + "/mini-programs");
            browser.awaitText("西湖面馆");
            assertThat(browser.driver().findElement(By.tagName("body")).getText())
                    .doesNotContain("西湖茶馆");
            assertThat(browser.driver().findElements(By.id("create-mini-program"))).isEmpty();
            browser.screenshot("08-developer-sees-assigned-only");

            // the Keycloak session ends (e.g. an admin signs the user out): back to the login page, then to the page
            browser.click(By.linkText("西湖面馆"));
            browser.await(By.id("miniProgram_servicePhone"));
            String deepLink = browser.driver().getCurrentUrl();
            keycloakAdmin().call(realm -> {
                realm.users().get(developer.id()).logout();
                return developer.id();
            }).block(Duration.ofSeconds(30));
            browser.driver().navigate().refresh();
            browser.logIn(developer);
            browser.await(By.id("miniProgram_servicePhone"));
            assertThat(browser.driver().getCurrentUrl()).isEqualTo(deepLink);
            assertThat(browser.consoleErrors()).isEmpty();
        }
    }

    @Test
    void aVersionIsReleasedToProdThroughReview() throws IOException {
        Workspace workspace = Workspace.create(api, keycloak);
        String appId = workspace.createMiniProgram(workspace.owner, "Release Tea");
        TestUser admin = keycloak.newUserWithRealmRole("console-admin", "platform-admin");
        String walletName = "Console Wallet " + UUID.randomUUID().toString().substring(0, 6);
        new ReleaseSteps(api).registerWallet(admin, walletName, false);
        TestUser reviewer = keycloak.newUserWithRealmRole("console-reviewer", "platform-reviewer");
        Path zip = Files.createTempFile("package", ".zip");
        Files.write(zip, CodePackagesForTests.valid());
        String page = "/console/w/" + workspace.tenantId + "/mini-programs/" + appId;
        By versionsTab = By.xpath("//div[@role='tab' and normalize-space(.)='Versions and releases']");

        try (ConsoleBrowser owner = new ConsoleBrowser(baseUrl, "en-US")) {
            owner.open(page);
            owner.logIn(workspace.owner);
            owner.click(versionsTab);
            owner.type("version_version", "1.0.0");
            owner.type("version_description", "First menu");
            owner.upload("package-file", zip);
            owner.click(By.id("upload-version"));
            owner.awaitText("Version 1.0.0 uploaded");
            owner.click(By.id("submit-1.0.0"));
            owner.choose("target_wallet", walletName, walletName);
            owner.click(By.id("submit-confirm"));
            owner.awaitText("Under review");
            owner.screenshot("09-versions-under-review");

            try (ConsoleBrowser review = new ConsoleBrowser(baseUrl, "en-US")) {
                review.open("/console/reviews");
                review.logIn(reviewer);
                review.type("reviews-search", appId); // the queue holds every pending review, oldest first
                review.await(By.id("approve-" + appId + "-1.0.0"));
                review.screenshot("10-review-queue");
                review.click(By.id("approve-" + appId + "-1.0.0"));
                review.awaitText("Approved.");
                assertThat(review.consoleErrors()).isEmpty();
            }

            // a reload keeps the deep link: Keycloak's session answers at once, no second login
            owner.driver().navigate().refresh();
            owner.click(versionsTab);
            owner.awaitText("Release preparation");
            owner.click(By.id("gray-PROD-1.0.0"));
            owner.awaitText("Grayscale 10%");
            owner.screenshot("11-grayscale");
            owner.click(By.id("full-PROD-1.0.0"));
            owner.awaitText("Full release");
            owner.await(button("Roll back"));
            owner.screenshot("12-full-release");
            // taking it offline asks first
            owner.click(button("Take offline"));
            owner.click(By.xpath("//div[contains(@class,'ant-popconfirm')]//button[contains(@class,'ant-btn-primary')]"));
            owner.await(By.xpath("//span[contains(@class,'release-state') and normalize-space(.)='Offline']"));
            assertThat(owner.consoleErrors()).isEmpty();
        }

        api.get().uri(workspace.path("/mini-programs/" + appId + "/releases"))
                .headers(h -> h.setBearerAuth(workspace.owner.accessToken()))
                .exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$[0].state").isEqualTo("OFFLINE")
                .jsonPath("$[0].target.environment").isEqualTo("PROD")
                .jsonPath("$[0].allowedActions").isEmpty();
    }

    private String tenantOf(TestUser user) {
        List<?> tenants = api.get().uri("/api/v1/tenants")
                .headers(h -> h.setBearerAuth(user.accessToken()))
                .exchange()
                .expectStatus().isOk()
                .expectBody(List.class)
                .returnResult()
                .getResponseBody();
        return ((Map<?, ?>) tenants.getFirst()).get("id").toString();
    }
}
