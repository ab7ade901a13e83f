package dev.miniplatform.api.sample;

import com.fasterxml.jackson.annotation.JsonRawValue;

import java.util.List;
import java.util.Map;

/**
 * A sample version as listed: {@code extSchema} and {@code extDefaults} are JSON (not strings); {@code sha256} and
 * {@code size} are those of the zip that {@code packageUrl} serves.
 */
record SampleView(String id, String version, Map<String, String> names, Map<String, String> descriptions,
                  String industry, List<String> pages, @JsonRawValue String extSchema, @JsonRawValue String extDefaults,
                  String sha256, long size, String packageUrl) {

    static SampleView of(Sample sample) {
        return new SampleView(sample.id(), sample.version().toString(), sample.names(), sample.descriptions(),
                sample.industry(), sample.pages(), sample.extSchema().text(), sample.extDefaults(), sample.sha256(),
                sample.size(), SampleController.packagePath(sample));
    }
}
