package dev.miniplatform.api.preview;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.RGBLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import dev.miniplatform.api.support.Catalog;
import dev.miniplatform.api.support.Catalog.RegisteredWallet;
import dev.miniplatform.api.support.CodePackagesForTests;
import dev.miniplatform.api.support.IntegrationTest;
import dev.miniplatform.api.support.KeycloakUsers.TestUser;
import dev.miniplatform.api.support.Workspace;
import dev.miniplatform.infra.transaction.TenantContext;
import dev.miniplatform.infra.transaction.TenantTransactions;
import dev.miniplatform.model.hashing.Sha256;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.http.MediaType;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;
import org.w3c.dom.Document;
import tools.jackson.databind.JsonNode;

import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Previews end to end, against the real stack: a member binds tester accounts, uploads a package as a preview, and
 * a wallet opens it by its ticket for a tester — and for nobody else, with the same 404 whatever the reason.
 */
class PreviewIntegrationTest extends IntegrationTest {

    private static final int MB = 1024 * 1024;
    private static final String QUOTA_EXCEEDED = "urn:mini-program-platform:problem:quota-exceeded";

    private static TestUser admin;
    private static RegisteredWallet wallet;
    private static RegisteredWallet otherWallet;

    @Autowired
    TenantTransactions transactions;

    @Autowired
    DatabaseClient database;

    @Autowired
    PreviewPurge purge;

    private Catalog catalog;

    @BeforeEach
    void wallets() {
        if (admin == null) {
            admin = keycloak.newUserWithRealmRole("admin", "platform-admin");
        }
        catalog = new Catalog(api, keycloak, admin);
        if (wallet == null) {
            wallet = catalog.registerWallet("Preview Wallet");
            otherWallet = catalog.registerWallet("Other Preview Wallet");
        }
    }

    @Test
    void aTesterOpensThePreviewByItsTicketAndDownloadsExactlyTheUploadedPackage() throws Exception {
        Workspace workspace = Workspace.create(api, keycloak);
        String appId = workspace.createMiniProgram(workspace.owner, "Tea Preview");
        bindTesters(workspace, workspace.owner, Map.of(wallet.id(), List.of("tester-1"))).expectStatus().isOk();
        byte[] zip = CodePackagesForTests.noise(3 * MB, 19);

        JsonNode issued = createPreview(workspace, workspace.owner, appId, wallet.id(), zip)
                .expectStatus().isCreated()
                .expectBody(JsonNode.class).returnResult().getResponseBody();

        String ticket = issued.get("ticket").asString();
        assertThat(ticket).matches("[A-Za-z0-9_-]{43}");
        String deepLink = issued.get("deepLink").asString();
        assertThat(deepLink).isEqualTo(scheme(wallet) + "://preview?appId=" + appId + "&preview=" + ticket);
        assertThat(issued.get("deepLinks").get(wallet.id()).asString()).isEqualTo(deepLink);
        assertThat(issued.get("sha256").asString()).isEqualTo(Sha256.hexOf(zip));
        BufferedImage png = ImageIO.read(new ByteArrayInputStream(dataUrl(issued.get("qrPng").asString(), "image/png")));
        assertThat(png.getWidth()).isGreaterThanOrEqualTo(200);
        assertThat(decodeQr(png)).isEqualTo(deepLink);
        Document svg = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(dataUrl(issued.get("qrSvg").asString(), "image/svg+xml")));
        assertThat(svg.getDocumentElement().getTagName()).isEqualTo("svg");
        assertThat(storedTicketHashes(workspace)).containsExactly(Sha256.hexOf(ticket));

        JsonNode resolved = resolve(wallet, ticket, "tester-1").expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        assertThat(resolved.get("appId").asString()).isEqualTo(appId);
        assertThat(resolved.get("packageSha256").asString()).isEqualTo(Sha256.hexOf(zip));
        assertThat(resolved.get("expiresAt").asString()).isEqualTo(issued.get("ticketExpiresAt").asString());
        byte[] downloaded = api.mutate().codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(8 * MB)).build()
                .get().uri(resolved.get("packageUrl").asString())
                .headers(h -> h.setBearerAuth(wallet.token()))
                .exchange()
                .expectStatus().isOk()
                .expectHeader().contentType("application/zip")
                .expectBody(byte[].class).returnResult().getResponseBody();
        assertThat(downloaded).isEqualTo(zip);

        // a preview is no version: nothing of it in the wallet's catalog, feed or released packages
        walletGet(wallet, "/wallet/v1/mini-programs/" + appId + "?userId=tester-1").expectStatus().isNotFound();
        assertThat(walletGet(wallet, "/wallet/v1/changes").expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody()).doesNotContain(appId);
        assertThat(walletGet(wallet, "/wallet/v1/mini-programs?size=100").expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody()).doesNotContain(appId);
        walletGet(wallet, "/wallet/v1/packages/" + Sha256.hexOf(zip)).expectStatus().isNotFound();
        assertThat(list(workspace, workspace.owner, appId)).singleElement()
                .satisfies(preview -> assertThat(preview.has("ticket")).isFalse());
    }

    @Test
    void everyoneButATesterOnTheTicketsWalletGetsTheSame404() {
        Workspace workspace = Workspace.create(api, keycloak);
        String appId = workspace.createMiniProgram(workspace.owner, "Tea Preview");
        bindTesters(workspace, workspace.owner, Map.of(wallet.id(), List.of("tester-1"), otherWallet.id(), List.of("tester-1")))
                .expectStatus().isOk();
        String ticket = ticketOf(createPreview(workspace, workspace.owner, appId, wallet.id(), CodePackagesForTests.valid()));
        // metered from the wallet's own bucket like every wallet request, found or not
        String expected = body(resolve(wallet, PreviewTicket.issue().value(), "tester-1").expectStatus().isNotFound()
                .expectHeader().exists("RateLimit-Remaining"));

        // another wallet, even with the same tester id bound for it
        assertThat(body(resolve(otherWallet, ticket, "tester-1").expectStatus().isNotFound())).isEqualTo(expected);
        // a wallet user who is no tester
        assertThat(body(resolve(wallet, ticket, "tester-2").expectStatus().isNotFound())).isEqualTo(expected);
        // a malformed ticket
        assertThat(body(resolve(wallet, ticket + "x", "tester-1").expectStatus().isNotFound())).isEqualTo(expected);
        // a replaced ticket: issuing a new one ends the old one at once
        String renewed = api.post().uri(workspace.path("/mini-programs/" + appId + "/previews/"
                        + list(workspace, workspace.owner, appId).getFirst().get("id").asString() + "/ticket"))
                .headers(h -> h.setBearerAuth(workspace.owner.accessToken()))
                .exchange()
                .expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody().get("ticket").asString();
        assertThat(body(resolve(wallet, ticket, "tester-1").expectStatus().isNotFound())).isEqualTo(expected);
        resolve(wallet, renewed, "tester-1").expectStatus().isOk();
        // a console user's token is no wallet's
        api.get().uri("/wallet/v1/previews/" + renewed + "?userId=tester-1")
                .headers(h -> h.setBearerAuth(workspace.owner.accessToken()))
                .exchange()
                .expectStatus().isForbidden();
        // the package path asks the same
        walletGet(otherWallet, WalletPreviews.packagePath(renewed, "tester-1")).expectStatus().isNotFound();
        walletGet(wallet, WalletPreviews.packagePath(renewed, "tester-2")).expectStatus().isNotFound();
        walletGet(wallet, WalletPreviews.packagePath(renewed, "tester-1")).expectStatus().isOk();
    }

    @Test
    void anotherMerchantSeesNothingAndCannotCreateDeleteOrRenewPreviews() {
        Workspace workspace = Workspace.create(api, keycloak);
        String appId = workspace.createMiniProgram(workspace.owner, "Tea Preview");
        createPreview(workspace, workspace.owner, appId, wallet.id(), CodePackagesForTests.valid()).expectStatus().isCreated();
        String previewId = list(workspace, workspace.owner, appId).getFirst().get("id").asString();
        Workspace stranger = Workspace.create(api, keycloak);
        String own = stranger.createMiniProgram(stranger.owner, "Stranger Tea");

        for (String tenant : List.of(workspace.tenantId, stranger.tenantId)) {
            String previews = "/api/v1/tenants/" + tenant + "/mini-programs/" + appId + "/previews";
            api.get().uri(previews).headers(h -> h.setBearerAuth(stranger.owner.accessToken()))
                    .exchange().expectStatus().isNotFound();
            api.delete().uri(previews + "/" + previewId).headers(h -> h.setBearerAuth(stranger.owner.accessToken()))
                    .exchange().expectStatus().isNotFound();
            api.post().uri(previews + "/" + previewId + "/ticket").headers(h -> h.setBearerAuth(stranger.owner.accessToken()))
                    .exchange().expectStatus().isNotFound();
            createPreview(tenant, stranger.owner, appId, wallet.id(), CodePackagesForTests.valid()).expectStatus().isNotFound();
        }
        // the stranger's own mini program does not reach the preview either
        api.delete().uri(stranger.path("/mini-programs/" + own + "/previews/" + previewId))
                .headers(h -> h.setBearerAuth(stranger.owner.accessToken()))
                .exchange().expectStatus().isNotFound();
        api.get().uri(workspace.path("/testers")).headers(h -> h.setBearerAuth(stranger.owner.accessToken()))
                .exchange().expectStatus().isNotFound();
        assertThat(list(workspace, workspace.owner, appId)).hasSize(1);
    }

    @Test
    void developersPreviewOnlyTheirAssignedMiniProgramsAndTicketsDieWithTheMembership() {
        Workspace workspace = Workspace.create(api, keycloak);
        String assigned = workspace.createMiniProgram(workspace.owner, "Tea Assigned");
        String other = workspace.createMiniProgram(workspace.owner, "Tea Other");
        TestUser developer = workspace.join("DEVELOPER", List.of(assigned));
        bindTesters(workspace, developer, Map.of(wallet.id(), List.of("dev-phone"))).expectStatus().isOk();
        bindTesters(workspace, workspace.owner, Map.of(wallet.id(), List.of("owner-phone"))).expectStatus().isOk();

        createPreview(workspace, developer, other, wallet.id(), CodePackagesForTests.valid()).expectStatus().isNotFound();
        String byDeveloper = ticketOf(createPreview(workspace, developer, assigned, wallet.id(), CodePackagesForTests.valid()));
        String onOther = ticketOf(createPreview(workspace, workspace.owner, other, wallet.id(), CodePackagesForTests.valid()));
        resolve(wallet, byDeveloper, "dev-phone").expectStatus().isOk();
        resolve(wallet, byDeveloper, "owner-phone").expectStatus().isOk();
        // the developer's tester id opens nothing of a mini program they may not work on; the owner's does
        resolve(wallet, onOther, "dev-phone").expectStatus().isNotFound();
        resolve(wallet, onOther, "owner-phone").expectStatus().isOk();

        patchMember(workspace, developer, "BLOCKED");
        resolve(wallet, byDeveloper, "owner-phone").expectStatus().isNotFound(); // its issuer is blocked
        patchMember(workspace, developer, "ACTIVE");
        resolve(wallet, byDeveloper, "dev-phone").expectStatus().isOk();

        api.delete().uri(workspace.path("/members/" + developer.id()))
                .headers(h -> h.setBearerAuth(workspace.owner.accessToken()))
                .exchange()
                .expectStatus().isNoContent();
        resolve(wallet, byDeveloper, "dev-phone").expectStatus().isNotFound();
        resolve(wallet, byDeveloper, "owner-phone").expectStatus().isNotFound();
        resolve(wallet, onOther, "owner-phone").expectStatus().isOk();
    }

    @Test
    void aBlockedMembersTesterIdsOpenNothing() {
        Workspace workspace = Workspace.create(api, keycloak);
        String appId = workspace.createMiniProgram(workspace.owner, "Tea Preview");
        TestUser master = workspace.join("MASTER", List.of());
        bindTesters(workspace, master, Map.of(wallet.id(), List.of("master-phone"))).expectStatus().isOk();
        String ticket = ticketOf(createPreview(workspace, workspace.owner, appId, wallet.id(), CodePackagesForTests.valid()));
        resolve(wallet, ticket, "master-phone").expectStatus().isOk();

        patchMember(workspace, master, "BLOCKED");

        resolve(wallet, ticket, "master-phone").expectStatus().isNotFound();
    }

    @Test
    void anExpiredPreviewIsNotFoundAndThePurgeGivesItsBytesBack() {
        Workspace workspace = Workspace.create(api, keycloak);
        String appId = workspace.createMiniProgram(workspace.owner, "Tea Preview");
        bindTesters(workspace, workspace.owner, Map.of(wallet.id(), List.of("tester-1"))).expectStatus().isOk();
        long before = storageBytes(workspace);
        byte[] zip = CodePackagesForTests.noise(2 * MB, 23);
        String ticket = ticketOf(createPreview(workspace, workspace.owner, appId, wallet.id(), zip));
        assertThat(storageBytes(workspace) - before).isEqualTo(zip.length);

        inTenant(workspace, "update previews set expires_at = now() - interval '1 second', "
                + "ticket_expires_at = now() - interval '1 second'");

        resolve(wallet, ticket, "tester-1").expectStatus().isNotFound();
        walletGet(wallet, WalletPreviews.packagePath(ticket, "tester-1")).expectStatus().isNotFound();
        assertThat(list(workspace, workspace.owner, appId)).isEmpty();
        assertThat(purge.runOnce().block(Duration.ofSeconds(30))).isPositive();
        assertThat(storageBytes(workspace)).isEqualTo(before);
    }

    @Test
    void previewsCountInTheStorageQuotaAndDeletingOneGivesItsBytesBack() {
        Workspace workspace = Workspace.create(api, keycloak);
        String appId = workspace.createMiniProgram(workspace.owner, "Tea Preview");
        byte[] first = CodePackagesForTests.noise(13 * MB, 31);
        byte[] second = CodePackagesForTests.noise(13 * MB, 37);
        createPreview(workspace, workspace.owner, appId, wallet.id(), first).expectStatus().isCreated();
        long used = storageBytes(workspace);

        createPreview(workspace, workspace.owner, appId, wallet.id(), second)
                .expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.type").isEqualTo(QUOTA_EXCEEDED);
        assertThat(storageBytes(workspace)).isEqualTo(used);
        assertThat(list(workspace, workspace.owner, appId)).hasSize(1);

        api.delete().uri(workspace.path("/mini-programs/" + appId + "/previews/"
                        + list(workspace, workspace.owner, appId).getFirst().get("id").asString()))
                .headers(h -> h.setBearerAuth(workspace.owner.accessToken()))
                .exchange()
                .expectStatus().isNoContent();
        assertThat(storageBytes(workspace)).isEqualTo(used - first.length);
        createPreview(workspace, workspace.owner, appId, wallet.id(), second).expectStatus().isCreated();
    }

    @Test
    void badInputIsA400NamingEveryField() {
        Workspace workspace = Workspace.create(api, keycloak);
        String appId = workspace.createMiniProgram(workspace.owner, "Tea Preview");
        List<Map<String, Object>> accounts = new ArrayList<>();
        accounts.add(Map.of("wallet", UUID.randomUUID().toString(), "userId", "fine"));
        accounts.add(Map.of("wallet", wallet.id(), "userId", "has space"));
        accounts.add(Map.of("wallet", "not-a-uuid", "userId", "x"));
        for (int i = 0; i < 11; i++) {
            accounts.add(Map.of("wallet", wallet.id(), "userId", "phone-" + i));
        }
        accounts.add(Map.of("wallet", wallet.id(), "userId", "phone-0"));

        api.put().uri(workspace.path("/members/me/testers"))
                .headers(h -> h.setBearerAuth(workspace.owner.accessToken()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("accounts", accounts))
                .exchange()
                .expectStatus().isBadRequest()
                .expectBody()
                .jsonPath("$.errors[?(@.field == 'accounts[0].wallet')].code").isEqualTo("unknown")
                .jsonPath("$.errors[?(@.field == 'accounts[1].userId')].code").isEqualTo("format")
                .jsonPath("$.errors[?(@.field == 'accounts[2].wallet')].code").isEqualTo("format")
                .jsonPath("$.errors[?(@.field == 'accounts[13]')].code").isEqualTo("too-many")
                .jsonPath("$.errors[?(@.field == 'accounts[14]')].code").isEqualTo("duplicate");
        assertThat(testers(workspace, workspace.owner).get("accounts")).isEmpty();

        createPreview(workspace.tenantId, workspace.owner, appId, null, CodePackagesForTests.valid())
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("wallet");
        createPreview(workspace.tenantId, workspace.owner, appId, UUID.randomUUID().toString(), CodePackagesForTests.valid())
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].code").isEqualTo("unknown");
        createPreview(workspace, workspace.owner, appId, wallet.id(), "not a zip".getBytes())
                .expectStatus().isBadRequest();
        resolve(wallet, PreviewTicket.issue().value(), null).expectStatus().isBadRequest();
        assertThat(list(workspace, workspace.owner, appId)).isEmpty();

        api.post().uri("/api/v1/admin/wallets")
                .headers(h -> h.setBearerAuth(admin.accessToken()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "Script Wallet", "sandboxReview", false, "deepLinkScheme", "javascript"))
                .exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("deepLinkScheme");
    }

    @Test
    void membersManageOnlyTheirOwnTesterAccountsAndManagersSeeEveryonesAudited() {
        Workspace workspace = Workspace.create(api, keycloak);
        String appId = workspace.createMiniProgram(workspace.owner, "Tea Preview");
        TestUser developer = workspace.join("DEVELOPER", List.of(appId));
        bindTesters(workspace, developer, Map.of(wallet.id(), List.of("dev-phone", "dev-tablet"))).expectStatus().isOk();
        bindTesters(workspace, workspace.owner, Map.of(otherWallet.id(), List.of("owner-phone"))).expectStatus().isOk();

        assertThat(testers(workspace, developer).get("accounts")).hasSize(2);
        assertThat(testers(workspace, workspace.owner).get("accounts")).hasSize(1);
        api.get().uri(workspace.path("/testers")).headers(h -> h.setBearerAuth(developer.accessToken()))
                .exchange().expectStatus().isForbidden();
        JsonNode all = api.get().uri(workspace.path("/testers")).headers(h -> h.setBearerAuth(workspace.owner.accessToken()))
                .exchange().expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        assertThat(all).hasSize(3);

        api.delete().uri(workspace.path("/members/me/testers")).headers(h -> h.setBearerAuth(developer.accessToken()))
                .exchange().expectStatus().isNoContent();
        assertThat(testers(workspace, developer).get("accounts")).isEmpty();
        assertThat(testers(workspace, workspace.owner).get("accounts")).hasSize(1);
        assertThat(api.get().uri(workspace.path("/audit-events"))
                .headers(h -> h.setBearerAuth(workspace.owner.accessToken()))
                .exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody()).contains("testers.replaced");
    }

    // --- steps

    private WebTestClient.ResponseSpec bindTesters(Workspace workspace, TestUser as, Map<String, List<String>> byWallet) {
        List<Map<String, String>> accounts = new ArrayList<>();
        byWallet.forEach((walletId, ids) -> ids.forEach(id -> accounts.add(Map.of("wallet", walletId, "userId", id))));
        return api.put().uri(workspace.path("/members/me/testers"))
                .headers(h -> h.setBearerAuth(as.accessToken()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("accounts", accounts))
                .exchange();
    }

    private JsonNode testers(Workspace workspace, TestUser as) {
        return api.get().uri(workspace.path("/members/me/testers"))
                .headers(h -> h.setBearerAuth(as.accessToken()))
                .exchange()
                .expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
    }

    private WebTestClient.ResponseSpec createPreview(Workspace workspace, TestUser as, String appId, String walletId, byte[] zip) {
        return createPreview(workspace.tenantId, as, appId, walletId, zip);
    }

    private WebTestClient.ResponseSpec createPreview(String tenantId, TestUser as, String appId, String walletId, byte[] zip) {
        MultipartBodyBuilder parts = new MultipartBodyBuilder();
        parts.part("package", new ByteArrayResource(zip) {
            @Override
            public String getFilename() {
                return "preview.zip";
            }
        });
        String query = walletId == null ? "" : "?wallet=" + walletId;
        return api.post().uri("/api/v1/tenants/" + tenantId + "/mini-programs/" + appId + "/previews" + query)
                .headers(h -> h.setBearerAuth(as.accessToken()))
                .contentType(MediaType.MULTIPART_FORM_DATA)
                .body(BodyInserters.fromMultipartData(parts.build()))
                .exchange();
    }

    private static String ticketOf(WebTestClient.ResponseSpec created) {
        return created.expectStatus().isCreated()
                .expectBody(JsonNode.class).returnResult().getResponseBody().get("ticket").asString();
    }

    private List<JsonNode> list(Workspace workspace, TestUser as, String appId) {
        JsonNode listed = api.get().uri(workspace.path("/mini-programs/" + appId + "/previews"))
                .headers(h -> h.setBearerAuth(as.accessToken()))
                .exchange()
                .expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        List<JsonNode> previews = new ArrayList<>();
        listed.forEach(previews::add);
        return previews;
    }

    private WebTestClient.ResponseSpec resolve(RegisteredWallet as, String ticket, String userId) {
        return walletGet(as, "/wallet/v1/previews/" + ticket + (userId == null ? "" : "?userId=" + userId));
    }

    private WebTestClient.ResponseSpec walletGet(RegisteredWallet as, String path) {
        return api.get().uri(path)
                .headers(h -> h.setBearerAuth(as.token()))
                .exchange();
    }

    /** The problem body without what differs per request. */
    private static String body(WebTestClient.ResponseSpec notFound) {
        Map<String, Object> problem = new java.util.TreeMap<>();
        notFound.expectBody(Map.class).returnResult().getResponseBody()
                .forEach((key, value) -> problem.put(String.valueOf(key), value));
        problem.remove("instance");
        problem.remove("requestId");
        problem.remove("traceId");
        return problem.toString();
    }

    private void patchMember(Workspace workspace, TestUser member, String status) {
        api.patch().uri(workspace.path("/members/" + member.id()))
                .headers(h -> h.setBearerAuth(workspace.owner.accessToken()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("status", status))
                .exchange()
                .expectStatus().isOk();
    }

    private long storageBytes(Workspace workspace) {
        return api.get().uri(workspace.path("/usage"))
                .headers(h -> h.setBearerAuth(workspace.owner.accessToken()))
                .exchange()
                .expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody().get("storageBytes").asLong();
    }

    private String scheme(RegisteredWallet registered) {
        JsonNode wallets = api.get().uri("/api/v1/admin/wallets")
                .headers(h -> h.setBearerAuth(admin.accessToken()))
                .exchange()
                .expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        for (JsonNode each : wallets) {
            if (each.get("id").asString().equals(registered.id())) {
                return each.get("deepLinkScheme").asString();
            }
        }
        throw new AssertionError("wallet " + registered.id() + " is not registered");
    }

    private List<String> storedTicketHashes(Workspace workspace) {
        return transactions.inTransaction(database.sql("select ticket_hash from previews")
                        .map(row -> row.get("ticket_hash", String.class))
                        .all()
                        .collectList())
                .contextWrite(TenantContext.forTenant(UUID.fromString(workspace.tenantId), null))
                .block(Duration.ofSeconds(30));
    }

    private void inTenant(Workspace workspace, String sql) {
        transactions.inTransaction(database.sql(sql).fetch().rowsUpdated())
                .contextWrite(TenantContext.forTenant(UUID.fromString(workspace.tenantId), null))
                .block(Duration.ofSeconds(30));
    }

    private static byte[] dataUrl(String url, String mediaType) {
        String prefix = "data:" + mediaType + ";base64,";
        assertThat(url).startsWith(prefix);
        return Base64.getDecoder().decode(url.substring(prefix.length()));
    }

    private static String decodeQr(BufferedImage image) throws Exception {
        int[] pixels = image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
        RGBLuminanceSource source = new RGBLuminanceSource(image.getWidth(), image.getHeight(), pixels);
        return new QRCodeReader().decode(new BinaryBitmap(new HybridBinarizer(source))).getText();
    }
}
