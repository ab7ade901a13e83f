package dev.miniplatform.api.miniprogram;

import dev.miniplatform.model.miniprogram.ReleaseRegion;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;

/** Release regions as stored: names joined by commas. */
final class RegionCodes {

    private RegionCodes() {
    }

    static String join(Collection<ReleaseRegion> regions) {
        return regions.stream().map(Enum::name).sorted().collect(Collectors.joining(","));
    }

    static List<ReleaseRegion> parse(String stored) {
        return stored == null || stored.isEmpty() ? List.of()
                : Arrays.stream(stored.split(",")).map(ReleaseRegion::valueOf).toList();
    }
}
