package dev.miniplatform.api.walletapi;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Everything a wallet may see of one mini program on one of its targets (wallet × environment): the texts of
 * every language and every live release. It is what the caches hold (as JSON in Redis); each answer (one
 * language, one version) is cut from it, so one document serves every user of a gray release.
 */
record CatalogDocument(
        UUID tenantId,
        String appId,
        String defaultLanguage,
        List<String> languages,
        Map<String, Texts> texts,
        String logoSha256,
        String industry,
        String servicePhone,
        String serviceEmail,
        Instant createdAt,
        Instant updatedAt,
        List<LiveRelease> releases) {

    record Texts(String name, String tagline, String description) {
    }

    /**
     * @param extConfigSha256 SHA-256 of the merchant's ext config this version was built with (a template instance's
     *                        version), null for any other version. Only the hash: the config itself (up to a batch
     *                        item's size) is served by {@link WalletFiles#extConfig}, so an entry stays small.
     * @param domains         the server domain allow-lists this release went live with (V29), by JSON name; empty
     *                        for a release that went live before they existed, and in documents cached before then
     */
    record LiveRelease(String version, String state, Integer grayPercent, Set<String> pilotUsers,
                       String packageSha256, Instant updatedAt, String extConfigSha256,
                       Map<String, List<String>> domains) {
    }
}
