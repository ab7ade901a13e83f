package dev.miniplatform.api.console;

import dev.miniplatform.api.support.ConsoleBrowser;
import dev.miniplatform.api.support.IntegrationTest;
import dev.miniplatform.api.support.KeycloakUsers.TestUser;
import dev.miniplatform.api.support.ReleaseSteps;
import dev.miniplatform.api.support.WebhookReceiver;
import dev.miniplatform.api.support.Workspace;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.representations.idm.UserRepresentation;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.miniplatform.api.support.ConsoleBrowser.button;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every console screen the first browser test does not walk, in a real headless Chromium: registration from the
 * login page, the ISV's services and webhook deliveries, logout; editing and deleting mini programs, member actions
 * and invitations, the audit log, the merchant's authorized ISVs (marketplace search, consent, revoke); pilot, full
 * release and rollback; the review queue and the wallets. On each screen axe-core must find no serious or critical
 * violation (modals included, while open), Tab must reach every control with a visible focus, the main action
 * must work with keys alone, and the browser console must stay free of errors. What a user relies on is checked
 * on the page and again through the API. Keys are pressed as on a keyboard's main block: Selenium's ENTER is the
 * numeric keypad's (code NumpadEnter), which antd's tabs ignore, so the tests press RETURN (code Enter).
 */
class ConsoleScreensBrowserIntegrationTest extends IntegrationTest {

    private static final By POPCONFIRM_YES = By.xpath("//div[contains(@class,'ant-popconfirm') and not(contains(@class,'hidden'))]"
            + "//button[contains(@class,'ant-btn-primary')]");
    private static final String MODAL = ".ant-modal-wrap:not([style*='display: none'])";

    static WebhookReceiver receiver;
    static TestUser admin;

    @LocalServerPort
    int port;

    private String baseUrl;

    @BeforeEach
    void consoleClientAcceptsThisPort() {
        baseUrl = "http://127.0.0.1:" + port;
        keycloakAdmin().call(realm -> {
            ClientRepresentation client = realm.clients().findByClientId("platform-console").getFirst();
            if (!client.getRedirectUris().contains(baseUrl + "/*")) {
                List<String> redirects = new ArrayList<>(client.getRedirectUris());
                List<String> origins = new ArrayList<>(client.getWebOrigins());
                redirects.add(baseUrl + "/*");
                origins.add(baseUrl);
                client.setRedirectUris(redirects);
                client.setWebOrigins(origins);
                Map<String, String> attributes = new HashMap<>(client.getAttributes());
                attributes.put("post.logout.redirect.uris", attributes.getOrDefault("post.logout.redirect.uris", "")
                        + "##" + baseUrl + "/*");
                client.setAttributes(attributes);
                realm.clients().get(client.getId()).update(client);
            }
            return client.getId();
        }).block(Duration.ofSeconds(30));
        if (receiver == null) {
            receiver = WebhookReceiver.start();
            admin = keycloak.newUserWithRealmRole("console-admin", "platform-admin");
        }
    }

    @AfterAll
    static void stopReceiver() {
        if (receiver != null) {
            receiver.close();
        }
    }

    @Test
    void aNewUserRegistersFromTheLoginPageOpensAnIsvWorkspaceAppliesForAServiceWithKeysAloneAndLogsOut() {
        String username = "registered-" + UUID.randomUUID().toString().substring(0, 8);
        String password = "pw-" + UUID.randomUUID();
        String workspaceName = "Lakeside Studio " + username.substring(username.length() - 4);

        try (ConsoleBrowser browser = new ConsoleBrowser(baseUrl, "en-US")) {
            browser.open("/console/");
            browser.await(By.id("username"));
            browser.reportAccessibility("Keycloak login page");
            browser.click(By.linkText("Register"));
            browser.await(By.id("firstName"));
            browser.reportAccessibility("Keycloak registration page");
            browser.type("firstName", "Lin");
            browser.type("lastName", "Hai");
            browser.type("email", username + "@example.com");
            browser.type("username", username);
            browser.type("password", password);
            browser.type("password-confirm", password);
            browser.keys(Keys.RETURN);

            // straight into the console: the first sign-in asks for the workspace, operated with the keyboard only
            browser.awaitUrlContains("/console/welcome");
            browser.await(By.id("workspace_name"));
            browser.assertAccessible("welcome");
            browser.assertKeyboardReachable("welcome", "body");
            browser.tabTo(By.id("kind-merchant"));
            browser.keys(Keys.ARROW_DOWN);
            assertThat(browser.driver().findElement(By.id("kind-isv")).isSelected()).isTrue();
            browser.tabTo(By.id("workspace_name"));
            browser.keys(workspaceName, Keys.RETURN);

            // an ISV lands on its services; before the first one it registers its OAuth application
            browser.awaitUrlContains("/services");
            browser.awaitText(workspaceName);
            TestUser registered = keycloak.login(new TestUser(userId(username), username, password, null));
            String tenantId = firstTenant(registered).get("id").asString();
            browser.click(By.xpath("//li[@role='menuitem' and normalize-space(.)='OAuth application']"));
            browser.await(By.id("isvApplication_webhookUrl"));
            browser.assertAccessible("OAuth application, not registered");
            browser.assertKeyboardReachable("OAuth application, not registered", "main");
            browser.tabTo(By.id("isvApplication_name"));
            browser.keys(workspaceName);
            browser.tabTo(By.id("isvApplication_redirectUris"));
            browser.keys(receiver.url("/callback"));
            browser.tabTo(By.id("isvApplication_webhookUrl"));
            browser.keys(receiver.url("/hooks"), Keys.RETURN);
            browser.await(By.id("isv-secrets"));
            assertThat(browser.await(By.id("isv-client-id")).getText()).isEqualTo("isv-" + tenantId);
            assertThat(browser.await(By.id("isv-secrets")).getText()).contains("whsec_");
            browser.assertAccessible("OAuth application, secrets shown once");
            browser.assertKeyboardReachable("OAuth application, secrets shown once", "main");
            get(registered, "/api/v1/tenants/" + tenantId + "/isv-application").expectBody()
                    .jsonPath("$.clientId").isEqualTo("isv-" + tenantId)
                    .jsonPath("$.redirectUris[0]").isEqualTo(receiver.url("/callback"))
                    .jsonPath("$.webhookUrl").isEqualTo(receiver.url("/hooks"));
            // Chromium logs the first look-up's 404 (nothing registered yet); nothing else was logged
            assertThat(browser.consoleErrors()).singleElement().asString().contains("/isv-application", "404");

            // then applies for a marketplace listing with "New service"
            browser.click(By.xpath("//li[@role='menuitem' and normalize-space(.)='Services']"));
            browser.await(button("New service"));
            browser.assertAccessible("services, none yet");
            browser.assertKeyboardReachable("services, none yet", "body");
            browser.tabTo(button("New service"));
            browser.keys(Keys.RETURN);
            browser.await(By.id("service_name"));
            browser.assertAccessible("new service dialog");
            browser.assertKeyboardReachable("new service dialog", MODAL);
            browser.tabTo(By.id("service_name"));
            browser.keys("Lakeside Mini Program Studio");
            browser.tabTo(By.id("service_description"));
            browser.keys("We build and run your mini program for you.");
            browser.tabTo(By.id("service_industries"));
            browser.keys("Tea");
            browser.await(By.xpath("//div[contains(@class,'ant-select-item-option-active')][contains(normalize-space(.), 'Tea')]"));
            browser.keys(Keys.RETURN, Keys.ESCAPE);
            browser.tabTo(By.xpath("//div[contains(@class,'ant-modal-footer')]//button[contains(@class,'ant-btn-primary')]"));
            browser.keys(Keys.RETURN);
            browser.awaitText("Service submitted for approval.");
            browser.await(By.xpath("//td[normalize-space(.)='Lakeside Mini Program Studio']"));
            browser.awaitText("PENDING_APPROVAL");
            browser.assertAccessible("services, one pending");

            browser.click(By.xpath("//li[@role='menuitem' and normalize-space(.)='Webhook deliveries']"));
            browser.awaitUrlContains("/webhooks");
            browser.assertAccessible("webhook deliveries, none yet");
            browser.assertKeyboardReachable("webhook deliveries, none yet", "main");
            assertThat(browser.consoleErrors()).isEmpty();

            assertThat(firstTenant(registered).get("kind").asString()).isEqualTo("ISV");
            assertThat(firstTenant(registered).get("name").asString()).isEqualTo(workspaceName);
            get(registered, "/api/v1/tenants/" + tenantId + "/services").expectBody()
                    .jsonPath("$[0].name").isEqualTo("Lakeside Mini Program Studio")
                    .jsonPath("$[0].state").isEqualTo("PENDING_APPROVAL");

            // logging out ends the Keycloak session: back on the login page, and a new visit asks again
            browser.tabTo(button("Log out"));
            browser.keys(Keys.RETURN);
            browser.await(By.id("username"));
            browser.open("/console/w/" + tenantId + "/services");
            browser.await(By.id("username"));
            assertThat(consoleSessionsOf(registered.id())).isZero();
            assertThat(browser.consoleErrors()).isEmpty();
        }
    }

    @Test
    void theOwnerEditsAndDeletesMiniProgramsRunsMembersAndInvitationsReadsTheAuditLogAndRevokesAnIsv() {
        Workspace workspace = Workspace.create(api, keycloak);
        String kept = workspace.createMiniProgram(workspace.owner, "Kept Tea");
        String doomed = workspace.createMiniProgram(workspace.owner, "Doomed Tea");
        TestUser developer = workspace.join("DEVELOPER", List.of(kept));
        TestUser leaving = workspace.join("DEVELOPER", List.of(kept));
        Workspace.Invitee invitee = workspace.invite("DEVELOPER", List.of(kept));
        TestUser unwanted = keycloak.newUser("unwanted");
        workspace.invite(unwanted, "MASTER", List.of());
        Marketplace isv = approvedIsvService();
        String base = "/console/w/" + workspace.tenantId;

        try (ConsoleBrowser owner = new ConsoleBrowser(baseUrl, "en-US")) {
            owner.open(base + "/mini-programs");
            owner.logIn(workspace.owner);
            owner.await(By.xpath(programRow(doomed)));
            owner.assertAccessible("mini programs");
            owner.assertKeyboardReachable("mini programs, with the header and menu", "body");

            // delete with keys alone: the confirmation takes the focus, Enter confirms
            owner.tabTo(By.xpath(programRow(doomed) + "//button[normalize-space(.)='Delete']"));
            owner.keys(Keys.RETURN);
            owner.await(POPCONFIRM_YES);
            owner.assertAccessible("delete confirmation");
            owner.keys(Keys.RETURN);
            owner.awaitText("Mini program deleted.");
            owner.awaitGone(By.xpath(programRow(doomed)));
            api.get().uri(workspace.path("/mini-programs/" + doomed))
                    .headers(h -> h.setBearerAuth(workspace.owner.accessToken()))
                    .exchange()
                    .expectStatus().isNotFound();

            // edit: the link opens the form; a changed field saved with Enter
            owner.tabTo(By.xpath(programRow(kept) + "//a"));
            owner.keys(Keys.RETURN);
            owner.await(By.id("miniProgram_servicePhone"));
            owner.assertAccessible("mini program details");
            owner.assertKeyboardReachable("mini program details", "main");
            owner.tabTo(By.id("miniProgram_servicePhone"));
            owner.selectAll();
            owner.keys("0571-8666000", Keys.RETURN);
            owner.awaitText("Mini program saved.");
            get(workspace.owner, workspace.path("/mini-programs/" + kept)).expectBody()
                    .jsonPath("$.servicePhone").isEqualTo("0571-8666000");

            owner.open(base + "/wizard");
            owner.await(By.id("mini-program-submit"));
            owner.assertAccessible("wizard, step 1");
            owner.assertKeyboardReachable("wizard, step 1", "main");

            // members: change a role, block, remove, withdraw an invitation, invite — each confirmed on the server
            owner.open(base + "/members");
            owner.await(By.xpath("//td[normalize-space(.)='" + unwanted.email() + "']"));
            owner.assertAccessible("members and invitations");
            owner.assertKeyboardReachable("members and invitations", "main");
            owner.tabTo(By.xpath(memberRow(developer) + "//input[@aria-label='Change role']"));
            owner.keys(Keys.RETURN);
            owner.await(By.xpath("//div[contains(@class,'ant-select-item-option') and normalize-space(.)='Master']"));
            owner.assertAccessible("role list open");
            owner.keys(Keys.ARROW_UP, Keys.RETURN);
            owner.awaitText("Saved");
            assertMember(workspace, developer, "role", "MASTER");
            owner.tabTo(By.xpath(memberRow(developer) + "//button[normalize-space(.)='Block']"));
            owner.keys(Keys.RETURN);
            owner.await(POPCONFIRM_YES);
            owner.keys(Keys.RETURN);
            owner.await(By.xpath(memberRow(developer) + "//button[normalize-space(.)='Unblock']"));
            assertMember(workspace, developer, "status", "BLOCKED");
            owner.tabTo(By.xpath(memberRow(leaving) + "//button[normalize-space(.)='Remove']"));
            owner.keys(Keys.RETURN);
            owner.await(POPCONFIRM_YES);
            owner.keys(Keys.RETURN);
            owner.awaitGone(By.xpath(memberRow(leaving)));
            assertThat(members(workspace).toString()).doesNotContain(leaving.id());
            owner.tabTo(By.xpath("//tr[.//td[normalize-space(.)='" + unwanted.email() + "']]//button[normalize-space(.)='Withdraw']"));
            owner.keys(Keys.RETURN);
            owner.await(POPCONFIRM_YES);
            owner.keys(Keys.RETURN);
            owner.awaitGone(By.xpath("//tr[.//td[normalize-space(.)='" + unwanted.email() + "']]//button[normalize-space(.)='Withdraw']"));
            assertThat(invitationStatus(workspace, unwanted.email())).isNotEqualTo("PENDING");

            String newcomer = "newcomer-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
            owner.tabTo(By.id("invite-member"));
            owner.keys(Keys.RETURN);
            owner.await(By.id("invite_name"));
            owner.assertAccessible("invite dialog");
            owner.assertKeyboardReachable("invite dialog", MODAL);
            owner.tabTo(By.id("invite_name"));
            owner.keys("Han Mei");
            owner.tabTo(By.id("invite_email"));
            owner.keys(newcomer);
            // Tab reaches the chosen role; the arrow keys move within the group
            owner.tabTo(By.xpath("//input[@type='radio' and @value='DEVELOPER']"));
            owner.keys(Keys.ARROW_LEFT);
            owner.tabTo(By.id("invite_email"));
            owner.keys(Keys.RETURN);
            owner.await(By.xpath("//td[normalize-space(.)='" + newcomer + "']"));
            assertThat(invitationStatus(workspace, newcomer)).isEqualTo("PENDING");

            // the audit log shows what just happened, filtered on the server by family and on the page by text
            owner.click(By.xpath("//li[@role='menuitem' and normalize-space(.)='Audit log']"));
            owner.await(By.cssSelector("#audit-table .ant-table-row"));
            owner.assertAccessible("audit log");
            owner.assertKeyboardReachable("audit log", "main");
            owner.tabTo(By.id("audit-family"));
            owner.keys(Keys.RETURN);
            owner.await(By.xpath("//div[contains(@class,'ant-select-item-option') and normalize-space(.)='member']"));
            owner.keys(Keys.ARROW_DOWN, Keys.ARROW_DOWN, Keys.RETURN);
            owner.awaitText("member.removed");
            owner.awaitNoText("invitation.withdrawn");
            owner.tabTo(By.id("audit-filter"));
            owner.keys("changed");
            owner.awaitNoText("member.removed");
            owner.tabTo(By.cssSelector("#audit-table .ant-table-row-expand-icon"));
            owner.keys(Keys.RETURN);
            owner.await(By.cssSelector("#audit-table .ant-table-expanded-row pre"));
            assertThat(owner.await(By.cssSelector("#audit-table .ant-table-expanded-row pre")).getText()).contains("BLOCKED");
            owner.assertAccessible("audit log, filtered, a row expanded");

            // the marketplace: search, pick, continue to Keycloak's consent page (the platform's own theme)
            owner.click(By.xpath("//li[@role='menuitem' and normalize-space(.)='Authorized ISVs']"));
            owner.await(By.cssSelector("main input[role='combobox']"));
            owner.assertAccessible("authorized ISVs, none yet");
            owner.assertKeyboardReachable("authorized ISVs, none yet", "main");
            owner.tabTo(By.cssSelector("main input[role='combobox']"));
            owner.keys(isv.serviceName().substring(0, 12));
            owner.await(By.xpath("//div[contains(@class,'ant-select-item-option')][contains(normalize-space(.), '" + isv.serviceName() + "')]"));
            owner.keys(Keys.RETURN);
            owner.tabTo(button("Continue to consent"));
            owner.keys(Keys.RETURN);
            owner.await(By.name("accept"));
            owner.assertAccessible("Keycloak consent page (platform theme)");
            owner.open(base + "/authorizations");
            owner.await(By.xpath("//td[normalize-space(.)='" + isv.isvName() + "']"));
            owner.awaitText("PENDING_CONSENT");
            owner.assertAccessible("authorized ISVs, one requested");
            owner.assertKeyboardReachable("authorized ISVs, one requested", "main");
            owner.tabTo(button("Revoke"));
            owner.keys(Keys.RETURN);
            owner.await(POPCONFIRM_YES);
            owner.keys(Keys.RETURN);
            // revoked before anyone consented: the request is canceled
            owner.awaitText("Access revoked.");
            owner.await(By.xpath("//td[normalize-space(.)='CANCELED']"));
            get(workspace.owner, workspace.path("/authorizations")).expectBody()
                    .jsonPath("$[0].state").isEqualTo("CANCELED");
            assertThat(owner.consoleErrors()).isEmpty();
        }

        // the invitee's landing page, accepted with Enter
        try (ConsoleBrowser joining = new ConsoleBrowser(baseUrl, "en-US")) {
            joining.open("/console/invitations#token=" + invitee.token());
            joining.logIn(invitee.user());
            joining.await(By.id("accept-invitation"));
            joining.assertAccessible("invitation");
            joining.assertKeyboardReachable("invitation", "body");
            joining.tabTo(By.id("accept-invitation"));
            joining.keys(Keys.RETURN);
            joining.awaitUrlContains("/w/" + workspace.tenantId + "/mini-programs");
            joining.await(By.xpath(programRow(kept)));
            joining.assertAccessible("mini programs, as a developer");
            assertThat(joining.consoleErrors()).isEmpty();
        }
        assertThat(members(workspace).toString()).contains(invitee.user().id());
    }

    @Test
    void aReleaseIsPilotedReleasedAndRolledBackAndAReviewerRejectsWithKeysAlone() {
        Workspace workspace = Workspace.create(api, keycloak);
        String appId = workspace.createMiniProgram(workspace.owner, "Pilot Tea");
        String walletName = "Pilot Wallet " + UUID.randomUUID().toString().substring(0, 6);
        ReleaseSteps steps = new ReleaseSteps(api);
        String wallet = steps.registerWallet(admin, walletName, false);
        Map<String, Object> test = Map.of("target", Map.of("wallet", wallet, "environment", "TEST"));
        steps.upload(workspace, workspace.owner, appId, "1.0.0").expectStatus().isCreated();
        steps.act(workspace, workspace.owner, appId, "1.0.0", "submit", test).expectStatus().is2xxSuccessful();
        steps.act(workspace, workspace.owner, appId, "1.0.0", "release",
                Map.of("target", test.get("target"), "grayPercent", 100)).expectStatus().is2xxSuccessful();
        steps.upload(workspace, workspace.owner, appId, "1.1.0").expectStatus().isCreated();
        steps.act(workspace, workspace.owner, appId, "1.1.0", "submit", test).expectStatus().is2xxSuccessful();
        steps.underReview(workspace, appId, "2.0.0", wallet);
        TestUser reviewer = keycloak.newUserWithRealmRole("console-reviewer", "platform-reviewer");
        TestUser staff = withRealmRole(reviewer, "platform-admin");
        String page = "/console/w/" + workspace.tenantId + "/mini-programs/" + appId;

        try (ConsoleBrowser owner = new ConsoleBrowser(baseUrl, "en-US")) {
            owner.open(page);
            owner.logIn(workspace.owner);
            owner.await(By.id("miniProgram_servicePhone"));
            owner.tabTo(By.xpath("//div[@role='tab' and contains(normalize-space(.), 'Basic information')]"));
            owner.keys(Keys.ARROW_RIGHT);
            owner.awaitFocus(By.xpath("//div[@role='tab' and contains(normalize-space(.), 'Versions and releases')]"));
            owner.keys(Keys.RETURN);
            owner.await(By.id("releases-table"));
            owner.awaitText("Release preparation");
            owner.assertAccessible("versions and releases");
            owner.assertKeyboardReachable("versions and releases", "main");

            // pilot: the whitelist dialog, typed and confirmed with the keyboard
            owner.tabTo(By.xpath(releaseRow("1.1.0") + "//button[normalize-space(.)='Pilot test']"));
            owner.keys(Keys.RETURN);
            owner.await(By.id("pilot-TEST-1.1.0"));
            owner.assertAccessible("pilot dialog");
            owner.assertKeyboardReachable("pilot dialog", MODAL);
            owner.tabTo(By.id("pilot-TEST-1.1.0"));
            owner.keys("pilot-user-1", Keys.RETURN, "pilot-user-2");
            owner.tabTo(By.xpath("//div[contains(@class,'ant-modal-footer')]//button[contains(@class,'ant-btn-primary')]"));
            owner.keys(Keys.RETURN);
            owner.await(By.xpath(releaseRow("1.1.0") + "//span[contains(@class,'release-state') and normalize-space(.)='Pilot testing']"));
            owner.awaitText("pilot-user-1, pilot-user-2");
            owner.assertAccessible("pilot testing");
            JsonNode piloted = get(workspace.owner, workspace.path("/mini-programs/" + appId + "/releases"))
                    .expectBody(JsonNode.class).returnResult().getResponseBody();
            assertThat(stateOf(piloted, "TEST", "1.1.0")).isEqualTo("PILOT_TESTING");

            // full release of 1.1.0 archives 1.0.0; rolling 1.1.0 back brings 1.0.0 back
            owner.tabTo(By.id("full-TEST-1.1.0"));
            owner.keys(Keys.RETURN);
            owner.await(By.xpath(releaseRow("1.0.0") + "//span[contains(@class,'release-state') and normalize-space(.)='Archived']"));
            owner.tabTo(By.xpath(releaseRow("1.1.0") + "//button[normalize-space(.)='Roll back']"));
            owner.keys(Keys.RETURN);
            owner.await(POPCONFIRM_YES);
            owner.assertAccessible("rollback confirmation");
            owner.keys(Keys.RETURN);
            owner.await(By.xpath(releaseRow("1.1.0") + "//span[contains(@class,'release-state') and normalize-space(.)='Archived']"));
            owner.await(By.xpath(releaseRow("1.0.0") + "//span[contains(@class,'release-state') and normalize-space(.)='Full release']"));
            owner.assertAccessible("rolled back");
            assertThat(owner.consoleErrors()).isEmpty();
        }
        JsonNode releases = get(workspace.owner, workspace.path("/mini-programs/" + appId + "/releases"))
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        assertThat(stateOf(releases, "TEST", "1.0.0")).isEqualTo("FULL_RELEASE");
        assertThat(stateOf(releases, "TEST", "1.1.0")).isEqualTo("ARCHIVED");
        assertThat(stateOf(releases, "PROD", "2.0.0")).isEqualTo("UNDER_REVIEW");

        try (ConsoleBrowser review = new ConsoleBrowser(baseUrl, "en-US")) {
            review.open("/console/reviews");
            review.logIn(staff);
            review.type("reviews-search", appId); // the queue holds every pending review, oldest first
            review.await(By.id("approve-" + appId + "-2.0.0"));
            review.assertAccessible("review queue");
            review.assertKeyboardReachable("review queue, with the header and menu", "body");
            review.tabTo(By.xpath("//tr[.//td[normalize-space(.)='" + appId + "']]//button[normalize-space(.)='Reject']"));
            review.keys(Keys.RETURN);
            review.await(By.id("reject_reason"));
            review.assertAccessible("reject dialog");
            review.assertKeyboardReachable("reject dialog", MODAL);
            review.tabTo(By.id("reject_reason"));
            review.keys("Add a privacy policy page.");
            review.tabTo(By.xpath("//div[contains(@class,'ant-modal-footer')]//button[contains(@class,'ant-btn-dangerous')]"));
            review.keys(Keys.RETURN);
            review.awaitText("Rejected.");
            review.awaitGone(By.id("approve-" + appId + "-2.0.0"));

            review.click(By.xpath("//li[@role='menuitem' and normalize-space(.)='Wallets']"));
            review.type("wallets-search", walletName); // every wallet the suite registered, 10 a page
            review.await(By.xpath("//td[normalize-space(.)='" + walletName + "']"));
            review.assertAccessible("wallets");
            review.assertKeyboardReachable("wallets", "main");
            assertThat(review.consoleErrors()).isEmpty();
        }
        JsonNode after = get(workspace.owner, workspace.path("/mini-programs/" + appId + "/releases"))
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        assertThat(stateOf(after, "PROD", "2.0.0")).isEqualTo("REJECTED");
    }

    // ----------------------------------------------------------------------------------------------------------

    record Marketplace(String isvName, String serviceName) {
    }

    /** An ISV with its OAuth application and a service the platform approved, so merchants find it. */
    private Marketplace approvedIsvService() {
        TestUser owner = keycloak.newUser("isv-owner");
        String name = "Harbor Apps " + UUID.randomUUID().toString().substring(0, 6);
        String tenantId = post(owner, "/api/v1/tenants", Map.of("kind", "ISV", "name", name))
                .expectStatus().isCreated()
                .expectBody(JsonNode.class).returnResult().getResponseBody().get("id").asString();
        registerIsvApplication(owner, tenantId, name);
        String serviceName = name + " builds";
        String serviceId = post(owner, "/api/v1/tenants/" + tenantId + "/services",
                Map.of("type", "DEVELOPMENT", "name", serviceName, "description", "We build your mini program for you.",
                        "industries", List.of("food.tea-coffee"), "scopes", List.of("miniprogram:read")))
                .expectStatus().isCreated()
                .expectBody(JsonNode.class).returnResult().getResponseBody().get("id").asString();
        post(admin, "/api/v1/admin/services/" + serviceId + "/approve", Map.of()).expectStatus().isOk();
        return new Marketplace(name, serviceName);
    }

    private void registerIsvApplication(TestUser owner, String tenantId, String name) {
        api.put().uri("/api/v1/tenants/" + tenantId + "/isv-application")
                .headers(h -> h.setBearerAuth(owner.accessToken()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", name, "redirectUris", List.of(receiver.url("/callback")), "webhookUrl", receiver.url("/hooks")))
                .exchange()
                .expectStatus().isOk();
    }

    private static String programRow(String appId) {
        return "//*[@id='mini-program-table']//tr[@data-row-key='" + appId + "']";
    }

    private static String memberRow(TestUser member) {
        return "//*[@id='members-table']//tr[.//td[normalize-space(.)='" + member.email() + "']]";
    }

    private static String releaseRow(String version) {
        return "//*[@id='releases-table']//tr[td[normalize-space(.)='" + version + "']]";
    }

    private static String stateOf(JsonNode releases, String environment, String version) {
        for (JsonNode release : releases) {
            if (release.get("version").asString().equals(version)
                    && release.get("target").get("environment").asString().equals(environment)) {
                return release.get("state").asString();
            }
        }
        throw new AssertionError("no release of " + version + " to " + environment + " in " + releases);
    }

    private JsonNode members(Workspace workspace) {
        return get(workspace.owner, workspace.path("/members")).expectBody(JsonNode.class).returnResult().getResponseBody();
    }

    /** What the server holds for the member, read once the page has confirmed the change (the PATCH answered). */
    private void assertMember(Workspace workspace, TestUser member, String field, String value) {
        for (JsonNode each : members(workspace)) {
            if (each.get("userId").asString().equals(member.id())) {
                assertThat(each.get(field).asString()).as(field + " of " + member.username()).isEqualTo(value);
                return;
            }
        }
        throw new AssertionError(member.username() + " is no member");
    }

    private String invitationStatus(Workspace workspace, String email) {
        JsonNode invitations = get(workspace.owner, workspace.path("/invitations"))
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        for (JsonNode each : invitations) {
            if (each.get("email").asString().equalsIgnoreCase(email)) {
                return each.get("status").asString();
            }
        }
        return "GONE";
    }

    private JsonNode firstTenant(TestUser user) {
        return get(user, "/api/v1/tenants").expectBody(JsonNode.class).returnResult().getResponseBody().get(0);
    }

    private String userId(String username) {
        return keycloakAdmin().call(realm -> {
            List<UserRepresentation> found = realm.users().searchByUsername(username, true);
            return found.getFirst().getId();
        }).block(Duration.ofSeconds(30));
    }

    /** The user's Keycloak sessions the console's client takes part in (the API checks' password grants aside). */
    private long consoleSessionsOf(String userId) {
        return keycloakAdmin().call(realm -> realm.users().get(userId).getUserSessions().stream()
                        .filter(session -> session.getClients().containsValue("platform-console"))
                        .count())
                .block(Duration.ofSeconds(30));
    }

    private TestUser withRealmRole(TestUser user, String role) {
        keycloakAdmin().call(realm -> {
            realm.users().get(user.id()).roles().realmLevel().add(List.of(realm.roles().get(role).toRepresentation()));
            return role;
        }).block(Duration.ofSeconds(30));
        return keycloak.login(user);
    }

    private WebTestClient.ResponseSpec get(TestUser as, String path) {
        return api.get().uri(path)
                .headers(h -> h.setBearerAuth(as.accessToken()))
                .exchange()
                .expectStatus().isOk();
    }

    private WebTestClient.ResponseSpec post(TestUser as, String path, Object body) {
        return api.post().uri(path)
                .headers(h -> h.setBearerAuth(as.accessToken()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body)
                .exchange();
    }
}
