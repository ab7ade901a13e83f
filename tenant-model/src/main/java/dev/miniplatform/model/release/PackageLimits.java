package dev.miniplatform.model.release;

/**
 * How much a code package may expand to when it is inspected. Each bound stops one way of making the platform
 * do unbounded work with a small upload: inflated bytes (a zip bomb), entries (a central directory of 100,000
 * empty files), and the manifest, which is the one entry that is parsed rather than only counted.
 *
 * @param maxUncompressedBytes   all entries together, counted as they are actually inflated
 * @param maxEntries             files and directories together
 * @param maxEntryNameLength     characters in one entry name
 * @param maxManifestBytes       {@code app.json} as inflated; also Jackson's document length limit
 * @param maxManifestDepth       nesting of arrays and objects in {@code app.json}
 * @param maxManifestStringLength characters in one JSON string or property name
 * @param maxManifestNumberLength characters in one JSON number
 */
public record PackageLimits(long maxUncompressedBytes, int maxEntries, int maxEntryNameLength, int maxManifestBytes,
                            int maxManifestDepth, int maxManifestStringLength, int maxManifestNumberLength) {

    public PackageLimits {
        if (maxUncompressedBytes < 1 || maxEntries < 1 || maxEntryNameLength < 1 || maxManifestBytes < 1
                || maxManifestDepth < 1 || maxManifestStringLength < 1 || maxManifestNumberLength < 1) {
            throw new IllegalArgumentException("every package limit must be at least 1");
        }
    }
}
