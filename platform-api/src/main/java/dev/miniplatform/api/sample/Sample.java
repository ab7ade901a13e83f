package dev.miniplatform.api.sample;

import dev.miniplatform.model.release.SemanticVersion;
import dev.miniplatform.model.template.ExtConfigSchema;

import java.util.List;
import java.util.Map;

/**
 * One version of a sample: its texts, the ext config schema a template built on it declares (with a {@code default}
 * for every setting), the defaults collected from that schema, and the package, zipped once at start-up.
 *
 * @param names        by language tag ({@code en-US}, {@code zh-CN})
 * @param descriptions by language tag
 * @param industry     a code of the industry catalog, suggested for what is built from it
 * @param pages        the {@code pages} of its {@code app.json}
 * @param extSchema    the JSON Schema (2020-12) as shipped, parsed and checked as a template version's is
 * @param extDefaults  the ext config of the schema's defaults (JSON), valid against it
 * @param zip          the package; never handed out to be changed
 */
public record Sample(String id, SemanticVersion version, Map<String, String> names, Map<String, String> descriptions,
                     String industry, List<String> pages, ExtConfigSchema extSchema, String extDefaults,
                     byte[] zip, String sha256) {

    /** {@code menu-shop@1.0.0}: how audit entries and descriptions name it. */
    public String reference() {
        return id + "@" + version;
    }

    public int size() {
        return zip.length;
    }
}
