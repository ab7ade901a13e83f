package dev.miniplatform.api.release;

import dev.miniplatform.model.release.MiniProgramVersion;

import java.time.Instant;

record VersionView(String version, String description, String sha256, long size, String uploadedBy,
                   Instant createdAt) {

    static VersionView of(MiniProgramVersion version) {
        return new VersionView(version.version(), version.description(), version.sha256(), version.size(),
                version.uploadedBy(), version.createdAt());
    }
}
