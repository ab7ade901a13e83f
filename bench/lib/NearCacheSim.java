// How fast Caffeine's near cache (W-TinyLFU) learns a Zipf(1.0) hot set after the benchmark's fill, at 1:10 of the
// 1M run (100k catalog, 33k entries near): the fill reads every id once (coldest first as bench/lib/fill.py, or
// hottest first), then <warm> Zipf reads, then 50,000 measured reads. Not part of the build; run it with
//   java -cp <caffeine-3.2.x.jar>:<jspecify-1.0.x.jar> bench/lib/NearCacheSim.java <warm reads>
// 2026-12-06: warm 0 → 73.0 % (coldest first) / 69.7 % (hottest first); 70,000 → 84.2 / 80.0 %; 1,000,000 → 89.0 /
// 88.2 %; a perfect top-33k holds 90.8 %. The hit ratio depends on how much traffic the cache has seen relative to
// the catalog, not on the fill order (docs/performance.md, "The 1M catalog at the 100k ratios").
import com.github.benmanes.caffeine.cache.*;
import java.util.*;
public class NearCacheSim {
    public static void main(String[] a) {
        int catalog = 100_000, bound = 33_000, warm = Integer.parseInt(a[0]), measured = 50_000;
        double[] cdf = new double[catalog]; double t = 0;
        for (int k = 0; k < catalog; k++) { t += 1.0 / (k + 1); cdf[k] = t; }
        for (int k = 0; k < catalog; k++) cdf[k] /= t;
        for (boolean hottestFirst : new boolean[]{false, true}) {
            Cache<Integer, Integer> c = Caffeine.newBuilder().maximumSize(bound).executor(Runnable::run).build();
            for (int i = 0; i < catalog; i++) { int k = hottestFirst ? i : catalog - 1 - i; c.get(k, x -> x); }
            Random r = new Random(1);
            for (int i = 0; i < warm; i++) { int k = pick(cdf, r); c.get(k, x -> x); }
            long hits = 0;
            for (int i = 0; i < measured; i++) { int k = pick(cdf, r); if (c.getIfPresent(k) != null) hits++; else c.get(k, x -> x); }
            System.out.printf("fill %s: near hits %.1f %% (perfect top-%d: %.1f %%)%n", hottestFirst ? "hottest first" : "coldest first",
                100.0 * hits / measured, bound, 100 * cdf[bound - 1]);
        }
    }
    static int pick(double[] cdf, Random r) { int i = Arrays.binarySearch(cdf, r.nextDouble()); return i >= 0 ? i : -i - 1; }
}
