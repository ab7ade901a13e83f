package dev.miniplatform.api.walletapi;

import dev.miniplatform.model.hashing.Sha256;
import dev.miniplatform.model.release.ReleaseState;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the near cache keeps of one mini program on one target: its answers, already encoded, and no document.
 * An answer is the JSON of one (language, release) pair, and its fields fall into two runs: the language's
 * ({@code appId} to {@code description}) and the release's ({@code logoUrl} to {@code updatedAt}). So an entry
 * keeps one head per language and one tail per live release, each as the bytes Jackson wrote, plus the strong
 * ETag of every pair; a hit copies one head and one tail into the body and serializes nothing. With two languages
 * and one release an entry takes ~1.3 KB of heap (1 KB of it arrays), where the document's object graph and one
 * rendered answer took ~3.5 KB ({@code CatalogEntryTest} measures both; docs/performance.md).
 * <p>
 * Languages are interned: every entry of a catalog shares the few {@code String}s of its language tags.
 */
final class CatalogEntry {

    /** Nothing of that id is live on the target: no languages, no releases, every answer empty. */
    static final CatalogEntry ABSENT = new CatalogEntry(List.of(), new byte[0][], new Release[0], new byte[0]);

    /** An entry's objects and its near-cache slot, beyond its arrays ({@link #weight()}). */
    static final int FIXED_BYTES = 600;

    /** A quoted strong ETag: {@code "} + 22 characters of base64url + {@code "}. */
    private static final int ETAG_LENGTH = 24;

    /**
     * A live release as the version choice needs it, with the tail of its answers.
     *
     * @param tail the release's part of every answer, <code>"logoUrl":…,"updatedAt":"…"&#125;</code>, closing brace
     *             included
     */
    record Release(String version, ReleaseState state, Integer grayPercent, Set<String> pilotUsers, byte[] tail) {
    }

    /** The mini program's languages, default first, interned. */
    private final List<String> languages;
    /** Per language: <code>&#123;"appId":…,"language":…,"name":…,"tagline":…,"description":…,</code> */
    private final byte[][] heads;
    /** Newest version first, so the first eligible one is the one a user gets. */
    private final Release[] releases;
    /** The ETag of the answer (release r, language l) at {@code (r * languages + l) * ETAG_LENGTH}, ASCII. */
    private final byte[] etags;

    private CatalogEntry(List<String> languages, byte[][] heads, Release[] releases, byte[] etags) {
        this.languages = languages;
        this.heads = heads;
        this.releases = releases;
        this.etags = etags;
    }

    /** Encodes every answer of the document now; the document itself is not kept. */
    static CatalogEntry of(CatalogDocument document, JsonMapper json) {
        List<String> languages = document.languages().stream()
                .map(String::intern)
                .toList();
        byte[][] heads = new byte[languages.size()][];
        for (int l = 0; l < heads.length; l++) {
            heads[l] = head(document, languages.get(l), json);
        }
        Release[] releases = document.releases().stream()
                .sorted(VersionChoice.NEWEST_FIRST)
                .map(release -> release(document, release, json))
                .toArray(Release[]::new);
        byte[] etags = new byte[releases.length * heads.length * ETAG_LENGTH];
        for (int r = 0; r < releases.length; r++) {
            for (int l = 0; l < heads.length; l++) {
                byte[] etag = etag(body(heads[l], releases[r].tail()));
                System.arraycopy(etag, 0, etags, (r * heads.length + l) * ETAG_LENGTH, ETAG_LENGTH);
            }
        }
        return new CatalogEntry(languages, heads, releases, etags);
    }

    /** An entry from the JSON kept in Redis: the document, or the absence marker. */
    static CatalogEntry fromBytes(byte[] bytes, JsonMapper json) {
        return isAbsentMarker(bytes) ? ABSENT : of(json.readValue(bytes, CatalogDocument.class), json);
    }

    /** The answer for this caller, or empty when no live release reaches this user. */
    Optional<WalletAnswer> answer(String appId, String acceptLanguage, String userId) {
        int release = VersionChoice.forUser(appId, releases, userId);
        if (release < 0) {
            return Optional.empty();
        }
        String language = LanguageNegotiation.choose(acceptLanguage, languages, languages.getFirst());
        int l = languages.indexOf(language);
        String etag = new String(etags, (release * heads.length + l) * ETAG_LENGTH, ETAG_LENGTH,
                StandardCharsets.US_ASCII);
        return Optional.of(new WalletAnswer(body(heads[l], releases[release].tail()), etag, language));
    }

    /**
     * The heap an entry takes in the near cache, for its bound: its arrays plus {@value #FIXED_BYTES} bytes for its
     * objects and its cache slot (Caffeine's node, the future, the key with its app id and wallet id, the timing),
     * as {@code CatalogEntryTest} measured them (~260 + ~310 bytes).
     */
    int weight() {
        return (int) Math.min(Integer.MAX_VALUE, arrayBytes() + FIXED_BYTES);
    }

    /** Bytes this entry holds in arrays (heads, tails, ETags): what an entry adds beyond its fixed objects. */
    long arrayBytes() {
        long bytes = etags.length;
        for (byte[] head : heads) {
            bytes += head.length;
        }
        for (Release release : releases) {
            bytes += release.tail().length;
        }
        return bytes;
    }

    private static byte[] body(byte[] head, byte[] tail) {
        byte[] body = Arrays.copyOf(head, head.length + tail.length);
        System.arraycopy(tail, 0, body, head.length, tail.length);
        return body;
    }

    private static byte[] head(CatalogDocument document, String language, JsonMapper json) {
        CatalogDocument.Texts texts = document.texts().get(language);
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("appId", document.appId());
        fields.put("language", language);
        fields.put("name", texts == null ? null : texts.name());
        fields.put("tagline", texts == null ? null : texts.tagline());
        fields.put("description", texts == null ? null : texts.description());
        byte[] object = json.writeValueAsBytes(fields);
        object[object.length - 1] = ',';   // the tail goes on where the closing brace was
        return object;
    }

    private static Release release(CatalogDocument document, CatalogDocument.LiveRelease release, JsonMapper json) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("logoUrl", document.logoSha256() == null ? null : WalletPaths.logo(document.logoSha256()));
        fields.put("industry", document.industry());
        fields.put("servicePhone", document.servicePhone());
        fields.put("serviceEmail", document.serviceEmail());
        fields.put("version", release.version());
        fields.put("releaseState", release.state());
        fields.put("packageUrl", WalletPaths.codePackage(release.packageSha256()));
        fields.put("packageSha256", release.packageSha256());
        // a template instance's per-merchant settings, of this very version (so gray users and a rollback get the
        // config of the version they run); null for a mini program not built from a template
        fields.put("extConfigUrl", release.extConfigSha256() == null ? null
                : WalletPaths.extConfig(document.appId(), release.version()));
        fields.put("extConfigSha256", release.extConfigSha256());
        // the server domains this version went live with: a later edit reaches wallets only with a later release
        fields.put("domains", CatalogStore.domains(release.domains()));
        fields.put("updatedAt", later(document.updatedAt(), release.updatedAt()).toString());
        byte[] object = json.writeValueAsBytes(fields);
        Set<String> pilots = release.pilotUsers() == null || release.pilotUsers().isEmpty()
                ? Set.of() : Set.copyOf(release.pilotUsers());
        return new Release(release.version().intern(), ReleaseState.valueOf(release.state()), release.grayPercent(),
                pilots, Arrays.copyOfRange(object, 1, object.length));
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static byte[] etag(byte[] body) {
        String tag = Base64.getUrlEncoder().withoutPadding().encodeToString(Sha256.of(body)).substring(0, 22);
        return ("\"" + tag + "\"").getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] absentMarker() {
        return "-".getBytes(StandardCharsets.US_ASCII);
    }

    static boolean isAbsentMarker(byte[] bytes) {
        return bytes.length == 1 && bytes[0] == '-';
    }
}
