package dev.miniplatform.api.sample;

import com.fasterxml.jackson.annotation.JsonRawValue;
import dev.miniplatform.api.miniprogram.MiniProgramView;

/**
 * What a start from a sample made: the mini program, and its first version (the sample's package, with the ext
 * config it was built with).
 */
record StartedView(MiniProgramView miniProgram, FirstVersion version, StartRequest.SampleRef sample) {

    record FirstVersion(String version, String sha256, long size, @JsonRawValue String extConfig) {
    }
}
