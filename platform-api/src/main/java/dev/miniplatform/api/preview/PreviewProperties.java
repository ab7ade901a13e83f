package dev.miniplatform.api.preview;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * {@code platform.preview.*}
 *
 * @param ttl                       how long a preview lives (its package is then purged and its bytes freed)
 * @param ticketTtl                 how long one ticket opens it (never longer than the preview); a new ticket is one
 *                                  request away
 * @param maxTestersPerWallet       wallet user ids one member may bind per wallet
 * @param maxPreviewsPerMiniProgram previews alive at once per mini program (bytes are bounded by the storage quota,
 *                                  rows by this)
 * @param purgeEnabled              whether this node purges expired previews in the background
 * @param purgeInterval             how often it looks for them
 * @param qrPixels                  the PNG's width and height at least (a phone scans it off a screen)
 */
@Validated
@ConfigurationProperties("platform.preview")
record PreviewProperties(
        @NotNull @DefaultValue("PT24H") Duration ttl,
        @NotNull @DefaultValue("PT2H") Duration ticketTtl,
        @Min(1) @Max(100) @DefaultValue("10") int maxTestersPerWallet,
        @Min(1) @Max(1000) @DefaultValue("20") int maxPreviewsPerMiniProgram,
        @DefaultValue("true") boolean purgeEnabled,
        @NotNull @DefaultValue("PT1M") Duration purgeInterval,
        @Min(200) @Max(1200) @DefaultValue("320") int qrPixels) {

    /** A ticket issued now lives until this, at most as long as its preview. */
    java.time.Instant ticketExpiry(java.time.Instant now, java.time.Instant previewExpiry) {
        java.time.Instant ticket = now.plus(ticketTtl);
        return ticket.isBefore(previewExpiry) ? ticket : previewExpiry;
    }
}
