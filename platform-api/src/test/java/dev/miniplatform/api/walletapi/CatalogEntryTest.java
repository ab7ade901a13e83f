package dev.miniplatform.api.walletapi;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import dev.miniplatform.model.hashing.Sha256;
import dev.miniplatform.model.release.Environment;
import dev.miniplatform.model.release.GrayBucket;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

import static org.assertj.core.api.Assertions.assertThat;

class CatalogEntryTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String SHA = "ab".repeat(32);
    private static final Instant CREATED = Instant.parse("2026-12-01T08:00:00.123456Z");

    /** A document like the benchmark's (bench/lib/seed.sql): two languages, one full release. */
    private static CatalogDocument document(int n, List<CatalogDocument.LiveRelease> releases) {
        Map<String, CatalogDocument.Texts> texts = new LinkedHashMap<>();
        texts.put("zh-CN", new CatalogDocument.Texts("茶馆" + n, "一杯好茶，一段好时光，欢迎光临",
                "西湖边的百年茶馆，提供龙井、碧螺春等名茶，以及精致茶点和安静的品茶空间。"));
        texts.put("en-US", new CatalogDocument.Texts("Tea House " + n, "Fine tea by the West Lake",
                "A century-old tea house by the West Lake serving Longjing and fine pastries."));
        return new CatalogDocument(UUID.randomUUID(), appId(n), "zh-CN", List.of("zh-CN", "en-US"), texts, null,
                "catering", "0571-8888888", "service@bench.example", CREATED, CREATED.plusSeconds(n), releases);
    }

    private static String appId(int n) {
        return "mp" + String.format("%020d", n).chars()
                .mapToObj(c -> String.valueOf((char) ('a' + c - '0')))
                .reduce("", String::concat);
    }

    private static CatalogDocument.LiveRelease release(String version, String state, Integer gray, Set<String> pilots) {
        return new CatalogDocument.LiveRelease(version, state, gray, pilots, SHA, CREATED.plusSeconds(60), null,
                CatalogStore.domains(Map.of("request", List.of("https://api.example.com"))));
    }

    private static CatalogDocument.LiveRelease full(String version) {
        return release(version, "FULL_RELEASE", 100, Set.of());
    }

    /** The answer as one JSON object written in one go, as the entry rendered it before it kept only bytes. */
    private static byte[] rendered(CatalogDocument document, String language, CatalogDocument.LiveRelease release) {
        CatalogDocument.Texts texts = document.texts().get(language);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("appId", document.appId());
        body.put("language", language);
        body.put("name", texts.name());
        body.put("tagline", texts.tagline());
        body.put("description", texts.description());
        body.put("logoUrl", document.logoSha256() == null ? null : WalletPaths.logo(document.logoSha256()));
        body.put("industry", document.industry());
        body.put("servicePhone", document.servicePhone());
        body.put("serviceEmail", document.serviceEmail());
        body.put("version", release.version());
        body.put("releaseState", release.state());
        body.put("packageUrl", WalletPaths.codePackage(release.packageSha256()));
        body.put("packageSha256", release.packageSha256());
        body.put("extConfigUrl", release.extConfigSha256() == null ? null
                : WalletPaths.extConfig(document.appId(), release.version()));
        body.put("extConfigSha256", release.extConfigSha256());
        body.put("domains", CatalogStore.domains(release.domains()));
        Instant updated = document.updatedAt().isAfter(release.updatedAt()) ? document.updatedAt() : release.updatedAt();
        body.put("updatedAt", updated.toString());
        return JSON.writeValueAsBytes(body);
    }

    private static String etag(byte[] body) {
        return "\"" + Base64.getUrlEncoder().withoutPadding().encodeToString(Sha256.of(body)).substring(0, 22) + "\"";
    }

    @Test
    void everyAnswerIsTheSingleObjectEncodingOfItsLanguageAndRelease() {
        CatalogDocument.LiveRelease stable = full("1.0.0");
        CatalogDocument.LiveRelease pilot = release("1.2.0", "PILOT_TESTING", null, Set.of("tester"));
        CatalogDocument document = document(7, List.of(stable, pilot));
        CatalogEntry entry = CatalogEntry.fromBytes(JSON.writeValueAsBytes(document), JSON);

        WalletAnswer chinese = entry.answer(document.appId(), null, "someone").orElseThrow();
        assertThat(chinese.body()).isEqualTo(rendered(document, "zh-CN", stable));
        assertThat(chinese.etag()).isEqualTo(etag(chinese.body()));
        assertThat(chinese.language()).isEqualTo("zh-CN");

        WalletAnswer english = entry.answer(document.appId(), "en;q=0.9, de", "tester").orElseThrow();
        assertThat(english.body()).isEqualTo(rendered(document, "en-US", pilot));
        assertThat(english.etag()).isEqualTo(etag(english.body())).isNotEqualTo(chinese.etag());
        assertThat(english.language()).isEqualTo("en-US");
        assertThat(JSON.readTree(english.body()).get("version").asString()).isEqualTo("1.2.0");
    }

    @Test
    void theHighestEligibleVersionWinsWhateverTheDocumentsOrder() {
        String appId = appId(3);
        String grayUser = java.util.stream.IntStream.range(0, 1000).mapToObj(i -> "user-" + i)
                .filter(user -> GrayBucket.inGray(30, appId, "1.10.0", user)).findFirst().orElseThrow();
        String otherUser = java.util.stream.IntStream.range(0, 1000).mapToObj(i -> "user-" + i)
                .filter(user -> !GrayBucket.inGray(30, appId, "1.10.0", user)).findFirst().orElseThrow();
        CatalogDocument document = document(3, List.of(release("1.10.0", "GRAYSCALE", 30, Set.of()), full("1.9.0"),
                release("1.2.0", "PILOT_TESTING", null, Set.of(grayUser, otherUser))));
        CatalogEntry entry = CatalogEntry.of(document, JSON);

        assertThat(version(entry, appId, grayUser)).as("gray user: 1.10.0 is above 1.9.0 (not a string order)")
                .isEqualTo("1.10.0");
        assertThat(version(entry, appId, otherUser)).as("a pilot of an older version gets the full release")
                .isEqualTo("1.9.0");
        assertThat(version(entry, appId, null)).as("without a user only the full release").isEqualTo("1.9.0");
    }

    @Test
    void nothingLiveForTheUserOrNoDocumentAnswersNothing() {
        CatalogDocument pilotOnly = document(5, List.of(release("1.0.0", "PILOT_TESTING", null, Set.of("tester"))));
        CatalogEntry entry = CatalogEntry.of(pilotOnly, JSON);
        assertThat(entry.answer(pilotOnly.appId(), "zh-CN", "someone else")).isEmpty();
        assertThat(entry.answer(pilotOnly.appId(), "zh-CN", null)).isEmpty();
        assertThat(entry.answer(pilotOnly.appId(), "zh-CN", "tester")).isPresent();

        assertThat(CatalogEntry.of(document(6, List.of()), JSON).answer(appId(6), null, null)).isEmpty();
        CatalogEntry absent = CatalogEntry.fromBytes(CatalogEntry.absentMarker(), JSON);
        assertThat(absent).isSameAs(CatalogEntry.ABSENT);
        assertThat(absent.answer(appId(6), "en", "u")).isEmpty();
    }

    private static String version(CatalogEntry entry, String appId, String user) {
        return JSON.readTree(entry.answer(appId, null, user).orElseThrow().body()).get("version").asString();
    }

    /**
     * Heap of {@value #MEASURED} entries, measured as the used heap after a full GC with them held minus without
     * (no JOL; a few MB of noise over ~50 MB). For the record, what the near cache held before: the document
     * parsed from Redis's JSON plus the one rendered answer the benchmark's traffic asks for. And what every near
     * entry costs on top of its value: a Caffeine node of the cache's configuration, its future, key and timing.
     */
    private static final int MEASURED = 40_000;

    @Test
    void aCompactEntryTakesLessThanHalfTheHeapOfTheDocumentItReplaces() {
        List<byte[]> stored = new ArrayList<>();
        for (int n = 0; n < MEASURED; n++) {
            stored.add(JSON.writeValueAsBytes(document(n, List.of(full("1.0.0")))));
        }
        // the median of three rounds: in the suite's JVM other tests' application contexts allocate and free while
        // this measures (one round once read 1,245 B for ~1,600)
        long compact = median(() -> perEntry(n -> {
            CatalogEntry entry = CatalogEntry.fromBytes(stored.get(n), JSON);
            entry.answer(appId(n), "zh-CN,en;q=0.8", null).orElseThrow();
            return entry;
        }));
        long graph = perEntry(n -> {
            CatalogDocument document = JSON.readValue(stored.get(n), CatalogDocument.class);
            Map<String, WalletAnswer> answers = new ConcurrentHashMap<>();
            byte[] body = rendered(document, "zh-CN", document.releases().getFirst());
            answers.put("zh-CN\n1.0.0", new WalletAnswer(body, etag(body), "zh-CN"));
            return List.of(document, answers);
        });
        long slot = median(CatalogEntryTest::nearCacheSlot);
        CatalogEntry sample = CatalogEntry.fromBytes(stored.getFirst(), JSON);
        long arrays = sample.arrayBytes();
        System.out.printf("near entry heap, bench-like document (2 languages, 1 release): compact %d B (arrays %d B),"
                + " document graph + one answer %d B; near-cache slot (Caffeine node, future, key, timing) %d B;"
                + " weight %d B%n", compact, arrays, graph, slot, sample.weight());
        assertThat(compact).as("compact entry").isLessThan(graph / 2).isLessThan(arrays + 400);
        assertThat(compact + slot).as("the near cache's bound counts what the heap holds, within 10 %")
                .isBetween(sample.weight() * 9L / 10, sample.weight() * 11L / 10);
    }

    private static long median(java.util.function.LongSupplier measurement) {
        long[] rounds = {measurement.getAsLong(), measurement.getAsLong(), measurement.getAsLong()};
        java.util.Arrays.sort(rounds);
        return rounds[1];
    }

    /** Bytes per value held, of {@value #MEASURED} values made by {@code make}. */
    private static long perEntry(IntFunction<Object> make) {
        long before = usedAfterGc();
        Object[] held = new Object[MEASURED];
        for (int n = 0; n < MEASURED; n++) {
            held[n] = make.apply(n);
        }
        long after = usedAfterGc();
        assertThat(held).doesNotContainNull();
        return (after - before) / MEASURED;
    }

    private record Timing(Object value, AtomicLong refreshAt, long expiresAt) {
    }

    /** A near-cache slot of CatalogCache's configuration, holding the same (shared) value in each. */
    private static long nearCacheSlot() {
        Object shared = new Object();
        AsyncCache<CatalogCache.Key, Timing> cache = Caffeine.newBuilder()
                .maximumSize(MEASURED * 2L)
                .expireAfter(Expiry.<CatalogCache.Key, Timing>creating((key, value) -> java.time.Duration.ofMinutes(10)))
                .recordStats()
                .buildAsync();
        UUID wallet = UUID.randomUUID();
        long size = perEntry(n -> {
            CatalogCache.Key key = new CatalogCache.Key(new UUID(wallet.getMostSignificantBits(),
                    wallet.getLeastSignificantBits()), Environment.PROD, appId(n));
            cache.put(key, CompletableFuture.completedFuture(new Timing(shared, new AtomicLong(n), n)));
            return Boolean.TRUE;
        });
        cache.synchronous().cleanUp();
        assertThat(cache.synchronous().estimatedSize()).isEqualTo(MEASURED);
        return size;
    }

    private static long usedAfterGc() {
        var memory = ManagementFactory.getMemoryMXBean();
        long least = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            memory.gc();
            least = Math.min(least, memory.getHeapMemoryUsage().getUsed());
        }
        return least;
    }
}
