package dev.miniplatform.walletsdk;

import java.time.Instant;

/**
 * One mini program as released to this wallet, in one language, in the version one user runs: the answer of
 * {@code GET /wallet/v1/mini-programs/{appId}} and an item of {@code batchGet}. {@code extConfigUrl} and
 * {@code extConfigSha256} are null unless the version was built from an ISV template with the merchant's settings.
 */
public record WalletMiniProgram(
        String appId,
        String language,
        String name,
        String tagline,
        String description,
        String logoUrl,
        String industry,
        String servicePhone,
        String serviceEmail,
        String version,
        String releaseState,
        String packageUrl,
        String packageSha256,
        String extConfigUrl,
        String extConfigSha256,
        Instant updatedAt) {
}
