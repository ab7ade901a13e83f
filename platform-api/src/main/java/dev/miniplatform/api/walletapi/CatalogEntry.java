package dev.miniplatform.api.walletapi;

import dev.miniplatform.model.hashing.Sha256;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A cached document (or the fact that there is none) with the answers already cut from it, so that a near-cache
 * hit writes prepared bytes and serializes nothing. At most one answer per (language, version) pair exists.
 */
final class CatalogEntry {

    static final CatalogEntry ABSENT = new CatalogEntry(null);

    private final CatalogDocument document;
    private final Map<String, WalletAnswer> answers = new ConcurrentHashMap<>();

    // the document's JSON is not kept: it is needed once, to fill Redis, and was a third of an entry's heap
    private CatalogEntry(CatalogDocument document) {
        this.document = document;
    }

    static CatalogEntry of(CatalogDocument document) {
        return new CatalogEntry(document);
    }

    static CatalogEntry fromBytes(byte[] bytes, JsonMapper json) {
        return new CatalogEntry(json.readValue(bytes, CatalogDocument.class));
    }

    Optional<CatalogDocument> document() {
        return Optional.ofNullable(document);
    }

    /** The JSON kept in Redis: the document, or the absence marker. */
    byte[] serialized(JsonMapper json) {
        return document == null ? absentMarker() : json.writeValueAsBytes(document);
    }

    /** The answer for this caller, or empty when no live release reaches this user. */
    Optional<WalletAnswer> answer(String acceptLanguage, String userId, JsonMapper json) {
        if (document == null) {
            return Optional.empty();
        }
        String language = LanguageNegotiation.choose(acceptLanguage, document.languages(), document.defaultLanguage());
        return VersionChoice.forUser(document.appId(), document.releases(), userId)
                .map(release -> answers.computeIfAbsent(language + "\n" + release.version(),
                        key -> render(language, release, json)));
    }

    private WalletAnswer render(String language, CatalogDocument.LiveRelease release, JsonMapper json) {
        CatalogDocument.Texts texts = document.texts().get(language);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("appId", document.appId());
        body.put("language", language);
        body.put("name", texts.name());
        body.put("tagline", texts.tagline());
        body.put("description", texts.description());
        body.put("logoUrl", document.logoSha256() == null ? null : WalletPaths.logo(document.logoSha256()));
        body.put("industry", document.industry());
        body.put("servicePhone", document.servicePhone());
        body.put("serviceEmail", document.serviceEmail());
        body.put("version", release.version());
        body.put("releaseState", release.state());
        body.put("packageUrl", WalletPaths.codePackage(release.packageSha256()));
        body.put("packageSha256", release.packageSha256());
        // a template instance's per-merchant settings, of this very version (so gray users and a rollback get the
        // config of the version they run); null for a mini program not built from a template
        body.put("extConfigUrl", release.extConfigSha256() == null ? null
                : WalletPaths.extConfig(document.appId(), release.version()));
        body.put("extConfigSha256", release.extConfigSha256());
        // the server domains this version went live with: a later edit reaches wallets only with a later release
        body.put("domains", CatalogStore.domains(release.domains()));
        body.put("updatedAt", later(document.updatedAt(), release.updatedAt()).toString());
        byte[] bytes = json.writeValueAsBytes(body);
        return new WalletAnswer(bytes, etag(bytes), language);
    }

    private static java.time.Instant later(java.time.Instant a, java.time.Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static String etag(byte[] bytes) {
        return "\"" + Base64.getUrlEncoder().withoutPadding().encodeToString(Sha256.of(bytes)).substring(0, 22) + "\"";
    }

    static byte[] absentMarker() {
        return "-".getBytes(StandardCharsets.US_ASCII);
    }

    static boolean isAbsentMarker(byte[] bytes) {
        return bytes.length == 1 && bytes[0] == '-';
    }
}
