package dev.miniplatform.api.console;

import dev.miniplatform.api.support.ConsoleBrowser;
import dev.miniplatform.api.support.IntegrationTest;
import dev.miniplatform.api.support.Workspace;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console's server domain screen in headless Chromium: the saved lists load into one input per entry, the rules
 * are stated before anything is sent, an entry that breaks a rule the console knows is marked while typing, one only
 * the server knows (a public suffix) comes back on the entry it names, and a Unicode name is saved as punycode.
 */
class DomainsConsoleBrowserIntegrationTest extends IntegrationTest {

    @LocalServerPort
    int port;

    private String baseUrl;

    @BeforeEach
    void allowThisPortAsRedirect() {
        baseUrl = "http://127.0.0.1:" + port;
        ConsoleBrowser.allowRedirectsTo(keycloakAdmin(), baseUrl);
    }

    @Test
    void theOwnerEditsServerDomainsWithTheRulesShownAndServerErrorsOnTheirEntries() {
        Workspace workspace = Workspace.create(api, keycloak);
        String appId = workspace.createMiniProgram(workspace.owner, "Domain Tea");
        String domains = workspace.path("/mini-programs/" + appId + "/domains");
        api.put().uri(domains)
                .headers(h -> h.setBearerAuth(workspace.owner.accessToken()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("request", List.of("https://api.example.com"), "upload", List.of(), "download", List.of(),
                        "socket", List.of("wss://ws.example.com"), "webView", List.of(), "revision", 0))
                .exchange()
                .expectStatus().isOk();

        try (ConsoleBrowser browser = new ConsoleBrowser(baseUrl, "en-US")) {
            browser.open("/console/w/" + workspace.tenantId + "/mini-programs/" + appId);
            browser.logIn(workspace.owner);
            browser.click(By.xpath("//div[@role='tab' and normalize-space(.)='Server domains']"));
            assertThat(browser.await(By.id("domains_request_0")).getDomProperty("value")).isEqualTo("https://api.example.com");
            assertThat(browser.await(By.id("domains_socket_0")).getDomProperty("value")).isEqualTo("wss://ws.example.com");
            assertThat(browser.await(By.id("domains-rules")).getText()).contains("https://*.example.com", "443", "At most 20");
            // axe (serious and critical findings fail) and a keyboard walk through every control of the screen
            browser.assertAccessible("server domains");
            browser.assertKeyboardReachable("server domains", "main");

            // rules the console knows are checked while typing, before anything is sent
            browser.click(By.id("domains-request-add"));
            browser.type("domains_request_1", "https://1.2.3.4");
            assertThat(browser.fieldError("domains_request_1")).contains("not an IP address");
            browser.type("domains_request_1", "https://API.example.com:443");
            assertThat(browser.fieldError("domains_request_1")).contains("Already in this list");
            browser.click(By.id("domains-webView-add"));
            browser.type("domains_webView_0", "http://web.example.com");
            assertThat(browser.fieldError("domains_webView_0")).contains("https://");
            browser.screenshot("domains-01-rules-while-typing");

            // a public suffix is the server's rule: its 400 names the entry, and the console puts it there
            browser.type("domains_request_1", "https://co.uk");
            browser.type("domains_webView_0", "https://web.example.com");
            browser.click(By.id("domains-submit"));
            assertThat(browser.fieldError("domains_request_1")).contains("public suffix");
            browser.screenshot("domains-02-server-error-on-entry");
            browser.assertAccessible("server domains with a server error on an entry");
            assertThat(browser.consoleErrors()).singleElement().asString().contains("/domains", "400");

            browser.type("domains_request_1", "https://bücher.example");
            browser.click(By.id("domains-submit"));
            browser.awaitText("Server domains saved");
            browser.driver().navigate().refresh();
            browser.click(By.xpath("//div[@role='tab' and normalize-space(.)='Server domains']"));
            assertThat(browser.await(By.id("domains_request_1")).getDomProperty("value"))
                    .isEqualTo("https://xn--bcher-kva.example");
            browser.screenshot("domains-03-saved");
            assertThat(browser.consoleErrors()).isEmpty();
        }

        api.get().uri(domains)
                .headers(h -> h.setBearerAuth(workspace.owner.accessToken()))
                .exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.revision").isEqualTo(2)
                .jsonPath("$.request[1]").isEqualTo("https://xn--bcher-kva.example")
                .jsonPath("$.webView[0]").isEqualTo("https://web.example.com");
    }
}
