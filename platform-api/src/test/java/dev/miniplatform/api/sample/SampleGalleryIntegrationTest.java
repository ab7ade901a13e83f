package dev.miniplatform.api.sample;

import dev.miniplatform.api.release.CodePackageStore;
import dev.miniplatform.api.support.Catalog;
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
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.hasItems;

/**
 * The sample gallery end to end against real PostgreSQL, Redis and Keycloak: listing and download, every shipped
 * sample through the real upload path, a merchant's mini program and an ISV's template started from a sample in
 * one call, and every refusal (strangers, developers, wallets, unknown samples, bad input, a quota hit midway).
 */
class SampleGalleryIntegrationTest extends IntegrationTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /**
     * The SHA-256 of each shipped sample version's zip. A released sample version never changes: if this fails
     * because a sample's files were edited, ship the change as a new version directory instead.
     */
    private static final Map<String, String> PUBLISHED = Map.of(
            "menu-shop@1.0.0", "e54bc266e642002b82b8e848806e6037639cb17ad420c3cafa7ef784e1c5416b",
            "membership-card@1.0.0", "5d910431abbfdcb489c40ddf04e93eb6e62c48fc1869139a586b5c6b00bc9bb0",
            "store-locator@1.0.0", "c20cddbfd0914b05df957575cc04e8a8255d3f61ef408d7c7a971535667e16ac");

    @Autowired
    CodePackageStore packages;

    @Autowired
    TenantTransactions transactions;

    @Autowired
    DatabaseClient database;

    Workspace merchant;

    @BeforeEach
    void merchant() {
        merchant = Workspace.create(api, keycloak);
    }

    @Test
    void everyoneSignedInListsTheGalleryInBothLanguagesWithSchemaDefaultsAndPackageHash() {
        JsonNode samples = list(merchant.owner);
        Map<String, JsonNode> byReference = new HashMap<>();
        samples.forEach(sample -> byReference.put(sample.get("id").asString() + "@" + sample.get("version").asString(), sample));
        assertThat(byReference).containsOnlyKeys(PUBLISHED.keySet());
        for (JsonNode sample : samples) {
            assertThat(sample.get("names").get("en-US").asString()).isNotBlank();
            assertThat(sample.get("names").get("zh-CN").asString()).isNotBlank();
            assertThat(sample.get("descriptions").get("en-US").asString()).isNotBlank();
            assertThat(sample.get("descriptions").get("zh-CN").asString()).isNotBlank();
            assertThat(sample.get("pages").size()).isPositive();
            assertThat(sample.get("extSchema").get("$schema").asString()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
            assertThat(sample.get("extDefaults").isObject()).isTrue();
            assertThat(sample.get("size").asLong()).isPositive();
            assertThat(sample.get("sha256").asString()).matches("[0-9a-f]{64}");
        }
        assertThat(byReference.get("menu-shop@1.0.0").get("extDefaults").get("brandColor").asString()).isEqualTo("#1677ff");
        assertThat(byReference.get("store-locator@1.0.0").get("extDefaults").get("stores").size()).isEqualTo(1);
        Map<String, String> hashes = new HashMap<>();
        byReference.forEach((reference, sample) -> hashes.put(reference, sample.get("sha256").asString()));
        assertThat(hashes).as("a published sample version was changed: ship the change as a new version").isEqualTo(PUBLISHED);

        TestUser isvOwner = isvWorkspace().owner;
        assertThat(list(isvOwner)).isEqualTo(samples);
        api.get().uri("/api/v1/samples").exchange().expectStatus().isUnauthorized();
        Catalog.RegisteredWallet wallet = new Catalog(api, keycloak, keycloak.newUserWithRealmRole("admin", "platform-admin"))
                .registerWallet("Sample Wallet");
        api.get().uri("/api/v1/samples").headers(h -> h.setBearerAuth(wallet.token())).exchange().expectStatus().isForbidden();
        api.get().uri("/api/v1/samples/menu-shop/versions/1.0.0/package").headers(h -> h.setBearerAuth(wallet.token()))
                .exchange().expectStatus().isForbidden();
    }

    @Test
    void eachDownloadIsTheListedPackageAndUnknownSamplesAre404() {
        for (JsonNode sample : list(merchant.owner)) {
            byte[] zip = download(merchant.owner, sample.get("packageUrl").asString());
            assertThat(Sha256.hexOf(zip)).isEqualTo(sample.get("sha256").asString());
            assertThat((long) zip.length).isEqualTo(sample.get("size").asLong());
            assertThat(entries(zip)).contains("app.json").anyMatch(name -> name.endsWith(".axml"));
        }
        for (String path : List.of("/api/v1/samples/no-such-sample/versions/1.0.0/package",
                "/api/v1/samples/menu-shop/versions/9.9.9/package", "/api/v1/samples/menu-shop/versions/x/package")) {
            api.get().uri(path).headers(h -> h.setBearerAuth(merchant.owner.accessToken()))
                    .exchange().expectStatus().isNotFound();
        }
    }

    /** The proof that samples are real packages: each goes through the upload endpoint a person would use. */
    @Test
    void everyShippedSamplePassesTheUploadChecksOfARealUpload() {
        for (JsonNode sample : list(merchant.owner)) {
            String appId = merchant.createMiniProgram(merchant.owner, "Upload " + sample.get("id").asString().substring(0, 8));
            byte[] zip = download(merchant.owner, sample.get("packageUrl").asString());
            upload(merchant.owner, merchant.path("/mini-programs/" + appId + "/versions"), "1.0.0", zip, null)
                    .expectStatus().isCreated()
                    .expectBody()
                    .jsonPath("$.sha256").isEqualTo(sample.get("sha256").asString())
                    .jsonPath("$.size").isEqualTo(sample.get("size").asInt());
        }
    }

    @Test
    void aMerchantStartsAMiniProgramFromASampleInOneCall() {
        JsonNode sample = sample(merchant.owner, "menu-shop", "1.0.0");
        JsonNode started = start(merchant.owner, merchant, startBody("menu-shop", "1.0.0", "Noodle Bar"))
                .expectStatus().isCreated()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        String appId = started.get("miniProgram").get("appId").asString();
        assertThat(started.get("version").get("version").asString()).isEqualTo("1.0.0");
        assertThat(started.get("version").get("extConfig")).isEqualTo(sample.get("extDefaults"));
        assertThat(started.get("sample").get("id").asString()).isEqualTo("menu-shop");

        JsonNode versions = get(merchant.owner, merchant.path("/mini-programs/" + appId + "/versions"));
        assertThat(versions.size()).isEqualTo(1);
        assertThat(versions.get(0).get("sha256").asString()).isEqualTo(sample.get("sha256").asString());
        assertThat(storedPackage(merchant, sample.get("sha256").asString()))
                .isEqualTo(download(merchant.owner, sample.get("packageUrl").asString()));
        assertThat(extConfigOf(merchant, appId)).isEqualTo(sample.get("extDefaults"));
        JsonNode audit = get(merchant.owner, merchant.path("/audit-events?size=10"));
        assertThat(audit.toString()).contains("mini-program.created", "version.uploaded", "menu-shop@1.0.0");

        // released, wallets get the package and the defaults as the version's ext config
        Catalog catalog = new Catalog(api, keycloak, keycloak.newUserWithRealmRole("admin", "platform-admin"));
        Catalog.RegisteredWallet wallet = catalog.registerWallet("Sample Delivery Wallet");
        catalog.releaseUploaded(merchant, appId, "1.0.0", wallet.id());
        JsonNode released = api.get().uri("/wallet/v1/mini-programs/" + appId + "?environment=DEV&userId=u-1")
                .headers(h -> h.setBearerAuth(wallet.token()))
                .exchange()
                .expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        assertThat(released.get("packageSha256").asString()).isEqualTo(sample.get("sha256").asString());
        byte[] delivered = api.get().uri(released.get("extConfigUrl").asString())
                .headers(h -> h.setBearerAuth(wallet.token()))
                .exchange()
                .expectStatus().isOk()
                .expectBody(byte[].class).returnResult().getResponseBody();
        assertThat(JSON.readTree(delivered)).isEqualTo(sample.get("extDefaults"));
        assertThat(Sha256.hexOf(delivered)).isEqualTo(released.get("extConfigSha256").asString());

        // the merchant's own ext config instead of the defaults, checked against the sample's schema
        Map<String, Object> own = startBody("store-locator", "1.0.0", "Corner Store");
        own.put("extConfig", Map.of("brandName", "Corner", "brandColor", "#123456", "stores",
                List.of(Map.of("name", "Main", "address", "2 Main Street", "latitude", 30.1, "longitude", 120.2))));
        String other = start(merchant.owner, merchant, own).expectStatus().isCreated()
                .expectBody(JsonNode.class).returnResult().getResponseBody().get("miniProgram").get("appId").asString();
        assertThat(extConfigOf(merchant, other).get("brandName").asString()).isEqualTo("Corner");

        // and it goes on like any mini program: the next version is an ordinary upload
        byte[] changed = withFile(download(merchant.owner, sample.get("packageUrl").asString()), "pages/about/about.axml",
                "<view>About us</view>");
        upload(merchant.owner, merchant.path("/mini-programs/" + appId + "/versions"), "1.1.0", changed, null)
                .expectStatus().isCreated();
        assertThat(get(merchant.owner, merchant.path("/mini-programs/" + appId + "/versions")).size()).isEqualTo(2);
    }

    @Test
    void badInputIsA400NamingEveryFieldAndCreatesNothing() {
        api.post().uri(merchant.path("/mini-programs:fromSample"))
                .headers(h -> h.setBearerAuth(merchant.owner.accessToken()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("sample", Map.of("id", " "), "servicePhone", "571-888"))
                .exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.errors[*].field").value(hasItems("sample.id", "sample.version",
                        "defaultLanguage", "industry", "localizations", "servicePhone", "serviceEmail"));
        Map<String, Object> badConfig = startBody("menu-shop", "1.0.0", "Noodle Bar");
        badConfig.put("extConfig", Map.of("shopName", "N", "brandColor", "blue"));
        start(merchant.owner, merchant, badConfig)
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[*].field").value(hasItems("extConfig/shopName", "extConfig/brandColor",
                        "extConfig/menuApiBaseUrl"));
        api.post().uri(merchant.path("/mini-programs:fromSample"))
                .headers(h -> h.setBearerAuth(merchant.owner.accessToken()))
                .contentType(MediaType.APPLICATION_JSON)
                .exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("body");
        start(merchant.owner, merchant, startBody("no-such-sample", "1.0.0", "Noodle Bar")).expectStatus().isNotFound();
        start(merchant.owner, merchant, startBody("menu-shop", "2.0.0", "Noodle Bar")).expectStatus().isNotFound();
        assertThat(miniProgramCount(merchant)).isZero();
    }

    /** The package is written after the mini program in the same transaction: a refusal there leaves neither. */
    @Test
    void aStorageQuotaHitWhileStoringThePackageLeavesNoMiniProgramBehind() {
        fillStorageUpTo(merchant, 100);
        start(merchant.owner, merchant, startBody("membership-card", "1.0.0", "Gold Club"))
                .expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.quota.name").isEqualTo("storageBytes");
        assertThat(miniProgramCount(merchant)).isZero();
        assertThat(get(merchant.owner, merchant.path("/audit-events?size=10")).toString()).doesNotContain("mini-program.created");
    }

    @Test
    void strangersDevelopersIsvsAndWalletsCannotStartAMiniProgramHere() {
        String assigned = merchant.createMiniProgram(merchant.owner, "Assigned Tea");
        TestUser developer = merchant.join("DEVELOPER", List.of(assigned));
        start(developer, merchant, startBody("menu-shop", "1.0.0", "Developer Shop")).expectStatus().isForbidden();
        TestUser master = merchant.join("MASTER", List.of());
        start(master, merchant, startBody("menu-shop", "1.0.0", "Master Shop")).expectStatus().isCreated();

        Workspace other = Workspace.create(api, keycloak);
        start(other.owner, merchant, startBody("menu-shop", "1.0.0", "Stranger Shop")).expectStatus().isNotFound();
        start(isvWorkspace().owner, merchant, startBody("menu-shop", "1.0.0", "ISV Shop")).expectStatus().isNotFound();
        api.post().uri("/api/v1/tenants/" + UUID.randomUUID() + "/mini-programs:fromSample")
                .headers(h -> h.setBearerAuth(merchant.owner.accessToken()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(startBody("menu-shop", "1.0.0", "Nowhere Shop"))
                .exchange().expectStatus().isNotFound();
        Catalog.RegisteredWallet wallet = new Catalog(api, keycloak, keycloak.newUserWithRealmRole("admin", "platform-admin"))
                .registerWallet("Start Wallet");
        api.post().uri(merchant.path("/mini-programs:fromSample"))
                .headers(h -> h.setBearerAuth(wallet.token()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(startBody("menu-shop", "1.0.0", "Wallet Shop"))
                .exchange().expectStatus().isForbidden();
        assertThat(miniProgramCount(merchant)).isEqualTo(2);
    }

    @Test
    void anIsvCreatesATemplateFromASampleInOneCallAndChangesItFromThere() {
        Workspace isv = isvWorkspace();
        JsonNode sample = sample(isv.owner, "menu-shop", "1.0.0");
        JsonNode created = post(isv.owner, isv.path("/templates"), templateBody("menu-shop", "1.0.0"))
                .expectStatus().isCreated()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        String templateId = created.get("id").asString();
        assertThat(created.get("name").asString()).isEqualTo("Noodle shops");
        JsonNode first = created.get("firstVersion");
        assertThat(first.get("version").asString()).isEqualTo("1.0.0");
        assertThat(first.get("state").asString()).isEqualTo("CREATED");
        assertThat(first.get("sha256").asString()).isEqualTo(sample.get("sha256").asString());
        assertThat(first.get("extSchema")).isEqualTo(sample.get("extSchema"));
        assertThat(get(isv.owner, isv.path("/audit-events?size=10")).toString())
                .contains("template.created", "template-version.uploaded", "menu-shop@1.0.0");

        // the schema's defaults are a valid ext config of the template
        post(isv.owner, isv.path("/templates/" + templateId + "/versions/1.0.0/ext-config-check"), sample.get("extDefaults"))
                .expectStatus().isOk();
        // a plain create answers as it always did
        post(isv.owner, isv.path("/templates"), Map.of("name", "Plain", "description", "A template without a sample.",
                "industry", "food.restaurant"))
                .expectStatus().isCreated()
                .expectBody().jsonPath("$.firstVersion").doesNotExist();

        // from there, new versions as for any template: the package changed, the schema grown
        byte[] changed = withFile(download(isv.owner, sample.get("packageUrl").asString()), "pages/about/about.axml",
                "<view>About us</view>");
        String schema = sample.get("extSchema").toString().replace("\"takeaway\"", "\"deliveryFee\": {\"type\": \"number\", "
                + "\"minimum\": 0, \"default\": 0}, \"takeaway\"");
        upload(isv.owner, isv.path("/templates/" + templateId + "/versions"), "1.1.0", changed, schema)
                .expectStatus().isCreated()
                .expectBody().jsonPath("$.extSchema.properties.deliveryFee.default").isEqualTo(0);
        JsonNode versions = get(isv.owner, isv.path("/templates/" + templateId + "/versions"));
        List<String> numbers = new ArrayList<>();
        versions.forEach(version -> numbers.add(version.get("version").asString()));
        assertThat(numbers).containsExactly("1.1.0", "1.0.0");
        post(isv.owner, isv.path("/templates/" + templateId + "/versions/1.1.0/submit"), Map.of()).expectStatus().isAccepted();
    }

    @Test
    void templateRulesHoldForTemplatesFromSamples() {
        Workspace isv = isvWorkspace();
        String own = isv.createMiniProgram(isv.owner, "ISV own tea");
        TestUser developer = isv.join("DEVELOPER", List.of(own));
        post(developer, isv.path("/templates"), templateBody("menu-shop", "1.0.0")).expectStatus().isForbidden();
        Workspace otherIsv = isvWorkspace();
        post(otherIsv.owner, isv.path("/templates"), templateBody("menu-shop", "1.0.0")).expectStatus().isNotFound();
        // a merchant workspace has no templates, not even from a sample
        post(merchant.owner, merchant.path("/templates"), templateBody("menu-shop", "1.0.0")).expectStatus().isNotFound();
        post(isv.owner, isv.path("/templates"), templateBody("no-such-sample", "1.0.0")).expectStatus().isNotFound();
        post(isv.owner, isv.path("/templates"), Map.of("name", "N", "fromSample", Map.of()))
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[*].field").value(hasItems("name", "description", "industry",
                        "fromSample.id", "fromSample.version"));
        assertThat(get(isv.owner, isv.path("/templates")).get("total").asInt()).isZero();
    }

    private Workspace isvWorkspace() {
        TestUser owner = keycloak.newUser("isv-owner");
        String tenantId = post(owner, "/api/v1/tenants", Map.of("kind", "ISV", "name", "Sample ISV " + owner.username()))
                .expectStatus().isCreated()
                .expectBody(JsonNode.class).returnResult().getResponseBody().get("id").asString();
        return Workspace.existing(api, keycloak, owner, tenantId);
    }

    private static Map<String, Object> startBody(String id, String version, String name) {
        Map<String, Object> body = new HashMap<>(Workspace.validMiniProgram(name));
        body.put("sample", Map.of("id", id, "version", version));
        return body;
    }

    private static Map<String, Object> templateBody(String id, String version) {
        return Map.of("name", "Noodle shops", "description", "A menu and order mini program for noodle shops.",
                "industry", "food.restaurant", "fromSample", Map.of("id", id, "version", version));
    }

    private WebTestClient.ResponseSpec start(TestUser as, Workspace workspace, Map<String, Object> body) {
        return post(as, workspace.path("/mini-programs:fromSample"), body);
    }

    private JsonNode list(TestUser as) {
        return get(as, "/api/v1/samples");
    }

    private JsonNode sample(TestUser as, String id, String version) {
        for (JsonNode sample : list(as)) {
            if (sample.get("id").asString().equals(id) && sample.get("version").asString().equals(version)) {
                return sample;
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

    private WebTestClient.ResponseSpec post(TestUser as, String path, Object body) {
        return api.post().uri(path)
                .headers(h -> h.setBearerAuth(as.accessToken()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body)
                .exchange();
    }

    private byte[] download(TestUser as, String path) {
        return api.get().uri(path)
                .headers(h -> h.setBearerAuth(as.accessToken()))
                .exchange()
                .expectStatus().isOk()
                .expectHeader().contentType("application/zip")
                .expectBody(byte[].class).returnResult().getResponseBody();
    }

    private WebTestClient.ResponseSpec upload(TestUser as, String path, String version, byte[] zip, String extSchema) {
        MultipartBodyBuilder parts = new MultipartBodyBuilder();
        parts.part("version", version);
        parts.part("description", "Version " + version);
        if (extSchema != null) {
            parts.part("extSchema", extSchema);
        }
        parts.part("package", new ByteArrayResource(zip) {
            @Override
            public String getFilename() {
                return "package.zip";
            }
        });
        return api.post().uri(path)
                .headers(h -> h.setBearerAuth(as.accessToken()))
                .contentType(MediaType.MULTIPART_FORM_DATA)
                .body(BodyInserters.fromMultipartData(parts.build()))
                .exchange();
    }

    private <T> T inTenant(Workspace workspace, reactor.core.publisher.Mono<T> work) {
        return transactions.inTransaction(work)
                .contextWrite(TenantContext.forTenant(UUID.fromString(workspace.tenantId), null))
                .block(Duration.ofSeconds(30));
    }

    private byte[] storedPackage(Workspace workspace, String sha256) {
        return inTenant(workspace, packages.load(UUID.fromString(workspace.tenantId), sha256));
    }

    private JsonNode extConfigOf(Workspace workspace, String appId) {
        return JSON.readTree(inTenant(workspace, database.sql("select ext_config from mini_program_versions where app_id = $1")
                .bind(0, appId)
                .mapValue(String.class)
                .one()));
    }

    private long miniProgramCount(Workspace workspace) {
        return inTenant(workspace, database.sql("select count(*) from mini_programs").mapValue(Long.class).one());
    }

    /** The workspace's stored bytes set to leave {@code free} bytes of its quota, as the V27 triggers count them. */
    private void fillStorageUpTo(Workspace workspace, long free) {
        inTenant(workspace, database.sql("select tenant_usage_add($1, $2)")
                .bind(0, UUID.fromString(workspace.tenantId))
                .bind(1, 25165824L - free)
                .then()
                .thenReturn(true));
    }

    private static List<String> entries(byte[] zip) {
        List<String> names = new ArrayList<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                names.add(entry.getName());
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return names;
    }

    /** The package with one more file, as an ISV or merchant changes a sample. */
    private static byte[] withFile(byte[] zip, String name, String content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip)); ZipOutputStream copy = new ZipOutputStream(out)) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                copy.putNextEntry(new ZipEntry(entry.getName()));
                copy.write(in.readAllBytes());
                copy.closeEntry();
            }
            copy.putNextEntry(new ZipEntry(name));
            copy.write(content.getBytes(StandardCharsets.UTF_8));
            copy.closeEntry();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return out.toByteArray();
    }
}
