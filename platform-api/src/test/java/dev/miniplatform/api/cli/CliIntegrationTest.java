package dev.miniplatform.api.cli;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.RGBLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import dev.miniplatform.api.cli.Mpp.Run;
import dev.miniplatform.api.support.IntegrationTest;
import dev.miniplatform.api.support.KeycloakBrowser;
import dev.miniplatform.api.support.KeycloakUsers.TestUser;
import dev.miniplatform.api.support.ReleaseSteps;
import dev.miniplatform.api.support.Workspace;
import dev.miniplatform.auth.config.KeycloakProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The developer CLI against the real stack: {@code node cli/bin/mpp.js} in a subprocess with its own home, logging
 * in through Keycloak's device pages (driven as a person at a browser would), then working on this server.
 */
class CliIntegrationTest extends IntegrationTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Pattern CODE = Pattern.compile("open (\\S+) in a browser and enter the code (\\S+)");

    @LocalServerPort
    int port;

    @Autowired
    KeycloakProperties keycloakProperties;

    @TempDir
    Path home;

    private String apiUrl() {
        return "http://127.0.0.1:" + port;
    }

    @Test
    void aDeveloperLogsInOnKeycloaksPagesAndUploadsSubmitsReleasesAndLogsOutFromTheTerminal() throws Exception {
        Workspace workspace = Workspace.create(api, keycloak);
        String appId = workspace.createMiniProgram(workspace.owner, "West Lake Tea");
        ReleaseSteps steps = new ReleaseSteps(api);
        String walletName = "CLI Wallet " + UUID.randomUUID().toString().substring(0, 8);
        String walletId = steps.registerWallet(keycloak.newUserWithRealmRole("admin", "platform-admin"), walletName, false);
        Mpp mpp = new Mpp(home);

        // login: the code is shown, the person confirms it on Keycloak's pages, the CLI's poll gets the tokens
        login(mpp, workspace.owner);
        Path credentials = mpp.configDirectory().resolve("credentials.json");
        assertThat(Files.getPosixFilePermissions(credentials)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.getPosixFilePermissions(mpp.configDirectory())).isEqualTo(PosixFilePermissions.fromString("rwx------"));
        JsonNode stored = JSON.readTree(Files.readString(credentials));
        assertThat(Files.readString(credentials)).doesNotContain(workspace.owner.password());
        JsonNode claims = claims(stored.get("accessToken").asString());
        // the same person, with the same audience, as the console's tokens
        assertThat(claims.get("azp").asString()).isEqualTo("platform-cli-device");
        assertThat(claims.get("sub").asString()).isEqualTo(workspace.owner.id());
        assertThat(claims.get("aud").toString()).contains("platform-api");

        Run whoami = ok(mpp.run("whoami"));
        assertThat(whoami.stdout()).contains(workspace.owner.username()).contains("member of 1 workspace");
        JsonNode me = JSON.readTree(ok(mpp.run("whoami", "--json")).stdout());
        assertThat(me.get("username").asString()).isEqualTo(workspace.owner.username());
        assertThat(me.get("email").asString()).isEqualTo(workspace.owner.email());

        assertThat(ok(mpp.run("workspaces")).stdout()).contains(workspace.tenantId).contains("OWNER");
        JsonNode workspaces = JSON.readTree(ok(mpp.run("workspaces", "--json")).stdout());
        assertThat(workspaces).singleElement().satisfies(w -> {
            assertThat(w.get("id").asString()).isEqualTo(workspace.tenantId);
            assertThat(w.get("role").asString()).isEqualTo("OWNER");
        });
        assertThat(ok(mpp.run("apps", "-w", workspace.tenantId)).stdout()).contains(appId).contains("西湖茶馆");
        JsonNode apps = JSON.readTree(ok(mpp.run("apps", "--workspace", workspace.tenantId, "--json")).stdout());
        assertThat(apps.findValuesAsString("appId")).containsExactly(appId);

        // someone else's (or no) workspace: not found, exit 3, as the API's 404 says
        Run stranger = mpp.run("apps", "-w", UUID.randomUUID().toString());
        assertThat(stranger.exit()).as(stranger.toString()).isEqualTo(3);
        assertThat(stranger.stderr()).startsWith("error: ");

        // a bad folder is refused on the machine, naming each field, and the server never hears of it
        Path bad = folder(Map.of("app.json", "{\"pages\": []}", "pages/index/index.js", "Page({})"));
        Run refused = mpp.run("upload", bad.toString(), "-w", workspace.tenantId, "-a", appId, "--version", "1.0", "-d", "First menu");
        assertThat(refused.exit()).as(refused.toString()).isEqualTo(4);
        assertThat(refused.stderr()).contains("package: app.json must be a JSON object with a non-empty \"pages\" array [manifest-pages]")
                .contains("version: must be major.minor.patch").doesNotContain("Uploading");
        api.get().uri(workspace.path("/mini-programs/" + appId + "/versions"))
                .headers(h -> h.setBearerAuth(workspace.owner.accessToken()))
                .exchange()
                .expectStatus().isOk()
                .expectBody().json("[]");

        // upload: zipped deterministically (the checked hash is the stored one), with progress
        Path good = folder(Map.of("app.json", "{\"pages\": [\"pages/index/index\"], \"window\": {\"title\": \"茶\"}}",
                "pages/index/index.js", "Page({ data: { tea: 'Longjing' } })", "pages/index/index.axml", "<view>{{tea}}</view>"));
        String checked = JSON.readTree(ok(mpp.run("upload", good.toString(), "--version", "1.0.0", "-d", "First menu", "--check", "--json"))
                .stdout()).get("sha256").asString();
        Run upload = ok(mpp.run("upload", good.toString(), "-w", workspace.tenantId, "-a", appId, "--version", "1.0.0",
                "--description", "First menu", "--json"));
        assertThat(upload.stderr()).contains("Uploading… 100 %");
        JsonNode version = JSON.readTree(upload.stdout());
        assertThat(version.get("version").asString()).isEqualTo("1.0.0");
        assertThat(version.get("sha256").asString()).isEqualTo(checked);

        // the same version again: the server's conflict is exit 5
        Run again = mpp.run("upload", good.toString(), "-w", workspace.tenantId, "-a", appId, "--version", "1.0.0", "-d", "Again");
        assertThat(again.exit()).as(again.toString()).isEqualTo(5);

        // submit to the wallet (by name) for review; a reviewer approves through the API
        JsonNode submitted = JSON.readTree(ok(mpp.run("submit", "-w", workspace.tenantId, "-a", appId, "--version", "1.0.0",
                "--wallet", walletName, "--env", "PROD", "--json")).stdout());
        assertThat(submitted.get("state").asString()).isEqualTo("UNDER_REVIEW");
        steps.decide(keycloak.newUserWithRealmRole("reviewer", "platform-reviewer"), submitted.get("reviewId").asString(), "approve")
                .expectStatus().isOk();

        Run gray = ok(mpp.run("release", "-w", workspace.tenantId, "-a", appId, "--version", "1.0.0", "--wallet", walletId, "--gray", "10"));
        assertThat(gray.stdout()).contains("GRAYSCALE 10 %");
        Run badGray = mpp.run("release", "-w", workspace.tenantId, "-a", appId, "--version", "1.0.0", "--wallet", walletId, "--gray", "ten");
        assertThat(badGray.exit()).as(badGray.toString()).isEqualTo(1);

        // the access token has run out: the refresh token renews it without asking the person again
        ObjectNode expired = (ObjectNode) JSON.readTree(Files.readString(credentials));
        expired.put("expiresAt", 0);
        Files.writeString(credentials, JSON.writeValueAsString(expired));
        JsonNode full = JSON.readTree(ok(mpp.run("release", "-w", workspace.tenantId, "-a", appId, "--version", "1.0.0",
                "--wallet", walletId, "--json")).stdout());
        assertThat(full.get("state").asString()).isEqualTo("FULL_RELEASE");
        assertThat(JSON.readTree(Files.readString(credentials)).get("accessToken").asString())
                .isNotEqualTo(expired.get("accessToken").asString());

        assertThat(ok(mpp.run("status", "-w", workspace.tenantId, "-a", appId)).stdout())
                .containsPattern(Pattern.quote(walletName) + "\\s+PROD\\s+1\\.0\\.0\\s+FULL_RELEASE");
        JsonNode status = JSON.readTree(ok(mpp.run("status", "-w", workspace.tenantId, "-a", appId, "--env", "PROD", "--json")).stdout());
        assertThat(status).singleElement().satisfies(release -> {
            assertThat(release.get("state").asString()).isEqualTo("FULL_RELEASE");
            assertThat(release.get("target").get("wallet").asString()).isEqualTo(walletId);
        });

        // a preview for the wallet: the QR code drawn in the terminal scans as the deep link the platform issued
        Run preview = ok(mpp.run("preview", good.toString(), "-w", workspace.tenantId, "-a", appId, "--wallet", walletId));
        String deepLink = preview.stdout().lines().filter(line -> line.contains("://preview?appId=" + appId))
                .findFirst().orElseThrow();
        assertThat(scan(preview.stdout())).isEqualTo(deepLink);
        JsonNode issued = JSON.readTree(ok(mpp.run("preview", good.toString(), "-w", workspace.tenantId, "-a", appId,
                "--wallet", walletName, "--json")).stdout());
        assertThat(issued.get("wallet").asString()).isEqualTo(walletId);
        assertThat(issued.get("deepLink").asString()).isNotEqualTo(deepLink).contains("appId=" + appId);

        // server domains: a set replaces only the lists it names, keeps the others, and is what a get then shows
        ok(mpp.run("config", "domains", "set", "-w", workspace.tenantId, "-a", appId,
                "--request", "https://api.tea.example,https://Bücher.example", "--socket", "wss://live.tea.example"));
        JsonNode domains = JSON.readTree(ok(mpp.run("config", "domains", "set", "-w", workspace.tenantId, "-a", appId,
                "--web-view", "https://*.tea.example", "--json")).stdout());
        List<String> request = new ArrayList<>();
        domains.get("request").forEach(entry -> request.add(entry.asString()));
        assertThat(request).containsExactly("https://api.tea.example", "https://xn--bcher-kva.example");
        assertThat(domains.get("socket").get(0).asString()).isEqualTo("wss://live.tea.example");
        assertThat(domains.get("webView").get(0).asString()).isEqualTo("https://*.tea.example");
        assertThat(domains.get("revision").asInt()).isEqualTo(2);
        assertThat(ok(mpp.run("config", "domains", "get", "-w", workspace.tenantId, "-a", appId)).stdout())
                .containsPattern("request\\s+https://api\\.tea\\.example https://xn--bcher-kva\\.example")
                .containsPattern("upload\\s+\\(none\\)").contains("revision  2");
        // a public suffix is refused by the server: exit 4, the failing entry named, nothing saved
        Run publicSuffix = mpp.run("config", "domains", "set", "-w", workspace.tenantId, "-a", appId,
                "--download", "https://ok.tea.example,https://co.uk");
        assertThat(publicSuffix.exit()).as(publicSuffix.toString()).isEqualTo(4);
        assertThat(publicSuffix.stderr()).contains("download[1]");
        assertThat(JSON.readTree(ok(mpp.run("config", "domains", "get", "-w", workspace.tenantId, "-a", appId, "--json"))
                .stdout()).get("revision").asInt()).isEqualTo(2);

        // logout revokes at Keycloak (the refresh token is dead there, not only forgotten) and deletes the file
        String refreshToken = JSON.readTree(Files.readString(credentials)).get("refreshToken").asString();
        assertThat(ok(mpp.run("logout")).stdout()).contains("Logged out.");
        assertThat(credentials).doesNotExist();
        assertThat(refresh(refreshToken).statusCode()).isEqualTo(400);
        Run after = mpp.run("whoami");
        assertThat(after.exit()).as(after.toString()).isEqualTo(2);
        assertThat(after.stderr()).contains("not logged in; run `mpp login`");
        Run afterJson = mpp.run("workspaces", "--json");
        assertThat(afterJson.exit()).isEqualTo(2);
        assertThat(JSON.readTree(afterJson.stderr()).get("exitCode").asInt()).isEqualTo(2);
    }

    @Test
    void aPipelineWorksWithACiKeyFromItsEnvironmentAndIsHeldToItsMiniPrograms() throws Exception {
        Workspace workspace = Workspace.create(api, keycloak);
        String appId = workspace.createMiniProgram(workspace.owner, "Pipeline Tea");
        String otherApp = workspace.createMiniProgram(workspace.owner, "Hand Made Tea");
        JsonNode created = api.post().uri(workspace.path("/ci-keys"))
                .headers(h -> h.setBearerAuth(workspace.owner.accessToken()))
                .contentType(org.springframework.http.MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "pipeline", "appIds", List.of(appId)))
                .exchange().expectStatus().isCreated()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        String key = created.get("key").asString();
        // no login anywhere: the key comes from the pipeline's environment, and nothing is written to disk
        Mpp ci = new Mpp(home, Map.of("MPP_KEY", key, "MPP_API", apiUrl()));

        Run whoami = ok(ci.run("whoami"));
        assertThat(whoami.stdout()).contains("CI key pipeline").contains(workspace.tenantId).contains(appId)
                .doesNotContain("submit");
        Path good = folder(Map.of("app.json", "{\"pages\": [\"pages/index/index\"]}", "pages/index/index.js", "Page({})",
                "pages/index/index.axml", "<view>CI</view>"));
        // --workspace may be left out: the key's own
        Run upload = ok(ci.run("upload", good.toString(), "-a", appId, "--version", "1.0.0", "-d", "From CI", "--json"));
        assertThat(JSON.readTree(upload.stdout()).get("uploadedBy").asString()).isEqualTo("ci-key:" + created.get("clientId").asString());
        assertThat(ci.configDirectory().resolve("credentials.json")).doesNotExist();

        Run other = ci.run("upload", good.toString(), "-a", otherApp, "--version", "1.0.0", "-d", "Not mine");
        assertThat(other.exit()).as(other.toString()).isEqualTo(3);
        Run submit = ci.run("submit", "-a", appId, "--version", "1.0.0", "--wallet", UUID.randomUUID().toString(), "--env", "TEST");
        assertThat(submit.exit()).as(submit.toString()).isEqualTo(2);
        assertThat(submit.stderr()).contains("not allowed to submit");
        Run wrong = new Mpp(home).run("whoami", "--api", apiUrl(), "--key", created.get("clientId").asString() + ":not-the-secret");
        assertThat(wrong.exit()).as(wrong.toString()).isEqualTo(2);
        assertThat(wrong.stderr()).contains("Keycloak refused the CI key");

        api.delete().uri(workspace.path("/ci-keys/" + created.get("id").asString()))
                .headers(h -> h.setBearerAuth(workspace.owner.accessToken()))
                .exchange().expectStatus().isNoContent();
        Run revoked = ci.run("upload", good.toString(), "-a", appId, "--version", "1.0.1", "-d", "After revocation");
        assertThat(revoked.exit()).as(revoked.toString()).isEqualTo(2);
        assertThat(revoked.stderr()).containsAnyOf("revoked", "Keycloak refused the CI key");
    }

    @Test
    void aBadPackageIsRefusedWithExitCode4WithoutALoginAndWithoutReachingAnyServer() throws IOException {
        Path bad = folder(Map.of("app.json", "{\"pages\": [\"pages/index/index\"]}", "pages/a:b.js", "x"));
        // nothing listens on port 9: a refusal that needed the network would be exit 6, one that needed a login exit 2
        Run refused = new Mpp(home).run("upload", bad.toString(), "--api", "http://127.0.0.1:9", "-w", UUID.randomUUID().toString(),
                "-a", "2021000000000001", "--version", "1.0.0", "-d", "Menu", "--json");
        assertThat(refused.exit()).as(refused.toString()).isEqualTo(4);
        JsonNode error = JSON.readTree(refused.stderr());
        assertThat(error.get("errors")).singleElement().satisfies(e -> {
            assertThat(e.get("field").asString()).isEqualTo("package");
            assertThat(e.get("code").asString()).isEqualTo("entry-name");
        });
        assertThat(refused.stdout()).isEmpty();
    }

    @Test
    void aPersonWhoDeniesTheDeviceOnKeycloaksPageLeavesTheCliWithExitCode2AndNoTokens() throws Exception {
        TestUser user = keycloak.newUser("denier");
        Mpp mpp = new Mpp(home);
        BlockingQueue<String> lines = Mpp.lines();
        CompletableFuture<Run> login = mpp.start(lines, "login", "--api", apiUrl());
        Matcher code = awaitCode(lines, login);
        new KeycloakBrowser().verifyDevice(code.group(1), code.group(2), user.username(), user.password(), false);
        Run run = login.get(90, TimeUnit.SECONDS);
        assertThat(run.exit()).as(run.toString()).isEqualTo(2);
        assertThat(run.stderr()).contains("the login was denied in the browser");
        assertThat(mpp.configDirectory().resolve("credentials.json")).doesNotExist();
    }

    private void login(Mpp mpp, TestUser user) throws Exception {
        BlockingQueue<String> lines = Mpp.lines();
        CompletableFuture<Run> login = mpp.start(lines, "login", "--api", apiUrl());
        Matcher code = awaitCode(lines, login);
        assertThat(code.group(1)).isEqualTo(keycloakProperties.issuer() + "/device");
        String last = new KeycloakBrowser().verifyDevice(code.group(1), code.group(2), user.username(), user.password(), true);
        assertThat(last).containsIgnoringCase("success");
        Run run = ok(login.get(90, TimeUnit.SECONDS));
        assertThat(run.stdout()).contains("Logged in as " + user.username());
    }

    private static Matcher awaitCode(BlockingQueue<String> lines, CompletableFuture<Run> login) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            String line = lines.poll(1, TimeUnit.SECONDS);
            Matcher matcher = line == null ? null : CODE.matcher(line);
            if (matcher != null && matcher.find()) {
                return matcher;
            }
            if (line == null && login.isDone()) {
                throw new AssertionError("mpp login ended without a code: " + login.get());
            }
        }
        throw new AssertionError("mpp login printed no verification URL and code within 60 s");
    }

    private static Run ok(Run run) {
        assertThat(run.exit()).as(run.toString()).isZero();
        return run;
    }

    private Path folder(Map<String, String> files) throws IOException {
        Path folder = Files.createTempDirectory(home, "package-");
        for (Map.Entry<String, String> file : files.entrySet()) {
            Path path = folder.resolve(file.getKey());
            Files.createDirectories(path.getParent());
            Files.writeString(path, file.getValue());
        }
        return folder;
    }

    private static JsonNode claims(String jwt) {
        return JSON.readTree(new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), StandardCharsets.UTF_8));
    }

    private HttpResponse<String> refresh(String refreshToken) throws IOException, InterruptedException {
        String form = "grant_type=refresh_token&client_id=platform-cli-device&refresh_token="
                + URLEncoder.encode(refreshToken, StandardCharsets.UTF_8);
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(HttpRequest.newBuilder(URI.create(keycloakProperties.issuer() + "/protocol/openid-connect/token"))
                            .header("Content-Type", "application/x-www-form-urlencoded")
                            .POST(HttpRequest.BodyPublishers.ofString(form))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        }
    }
    /**
     * Reads back a QR code the CLI drew with half blocks (a light glyph half is a light module) as a scanner would:
     * pixels, then ZXing's QR reader.
     */
    private static String scan(String drawn) throws Exception {
        List<String> rows = drawn.lines().filter(line -> line.chars().anyMatch(c -> c == 0x2588 || c == 0x2580 || c == 0x2584))
                .toList();
        int width = rows.getFirst().length();
        int scale = 4;
        int[] pixels = new int[width * scale * rows.size() * 2 * scale];
        for (int row = 0; row < rows.size(); row++) {
            for (int x = 0; x < width; x++) {
                char c = x < rows.get(row).length() ? rows.get(row).charAt(x) : ' ';
                boolean topLight = c == 0x2588 || c == 0x2580;
                boolean bottomLight = c == 0x2588 || c == 0x2584;
                for (int half = 0; half < 2; half++) {
                    int colour = (half == 0 ? topLight : bottomLight) ? 0xFFFFFF : 0x000000;
                    for (int dy = 0; dy < scale; dy++) {
                        for (int dx = 0; dx < scale; dx++) {
                            pixels[((row * 2 + half) * scale + dy) * width * scale + x * scale + dx] = colour;
                        }
                    }
                }
            }
        }
        return new QRCodeReader().decode(new BinaryBitmap(new HybridBinarizer(
                new RGBLuminanceSource(width * scale, rows.size() * 2 * scale, pixels)))).getText();
    }
}
