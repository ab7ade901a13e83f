package dev.miniplatform.api.release;

import dev.miniplatform.model.release.PackageLimits;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code platform.release.*}
 *
 * @param maxPackageBytes         largest code package accepted, as uploaded (compressed)
 * @param maxUncompressedBytes    all entries of a package together, counted as they are inflated
 * @param maxEntries              files and directories in one package
 * @param maxEntryNameLength      characters in one entry name
 * @param maxManifestBytes        {@code app.json}, inflated
 * @param maxManifestDepth        nesting of arrays and objects in {@code app.json}
 * @param maxManifestStringLength characters in one string or property name of {@code app.json}
 * @param maxManifestNumberLength characters in one number of {@code app.json}
 * @param maxParts                parts of one upload request (version, description, package)
 * @param maxFieldBytes           one non-file part (version, description), held in memory
 * @param maxWaitingVersions      versions uploaded but not yet submitted anywhere, per mini program (Alipay+ allows 20)
 * @param maxPilotUsers           size of a pilot whitelist
 */
@Validated
@ConfigurationProperties("platform.release")
record ReleaseProperties(
        @Min(1) @DefaultValue("20971520") long maxPackageBytes,
        @Min(1) @DefaultValue("104857600") long maxUncompressedBytes,
        @Min(1) @DefaultValue("5000") int maxEntries,
        @Min(1) @Max(4096) @DefaultValue("512") int maxEntryNameLength,
        @Min(64) @Max(16777216) @DefaultValue("1048576") int maxManifestBytes,
        @Min(2) @Max(1000) @DefaultValue("32") int maxManifestDepth,
        @Min(64) @DefaultValue("16384") int maxManifestStringLength,
        @Min(16) @Max(1000) @DefaultValue("64") int maxManifestNumberLength,
        @Min(3) @Max(100) @DefaultValue("5") int maxParts,
        @Min(1024) @Max(1048576) @DefaultValue("16384") int maxFieldBytes,
        @Min(1) @DefaultValue("20") int maxWaitingVersions,
        @Min(1) @DefaultValue("1000") int maxPilotUsers) {

    /** Part headers, boundaries and fields on top of the package itself. */
    private static final long MULTIPART_OVERHEAD_BYTES = 1024 * 1024;

    public PackageLimits packageLimits() {
        return new PackageLimits(maxUncompressedBytes, maxEntries, maxEntryNameLength, maxManifestBytes,
                maxManifestDepth, maxManifestStringLength, maxManifestNumberLength);
    }

    /** The most an upload request may carry: a declared Content-Length above it is refused before reading. */
    public long maxRequestBytes() {
        return maxPackageBytes + MULTIPART_OVERHEAD_BYTES;
    }
}
