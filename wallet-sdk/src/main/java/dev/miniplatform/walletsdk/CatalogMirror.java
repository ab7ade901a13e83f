package dev.miniplatform.walletsdk;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A local copy of the catalog released to this wallet in one environment, kept current by following the change
 * feed, so the wallet answers from its own process, and goes on answering (stale) while the platform is away.
 * <p>
 * One thread polls {@code /wallet/v1/changes} from the store's cursor every {@link Builder#pollInterval}; each page's
 * UPSERTs are read again with batchGet (100 at a time, once per configured language) and stored, its REMOVEs (and
 * UPSERTs the batch reports missing) deleted; then the page's cursor is saved. A failed poll is retried with
 * jittered back-off up to {@link Builder#maxBackoff}; the client underneath already honours 429 Retry-After.
 * <p>
 * What it holds is the answer a wallet user <em>without</em> a user id gets: the full release. Gray and pilot
 * versions are chosen per user from the release list, which the wallet API does not expose; a wallet that runs
 * gray releases asks {@link WalletClient#get} for those users (see the module README).
 * <p>
 * {@link #get} never throws and never calls the network.
 */
public final class CatalogMirror implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CatalogMirror.class);
    /** The language key of the answers in the mirror's default (no Accept-Language: the app's default language). */
    public static final String DEFAULT_LANGUAGE = "";

    private final WalletClient client;
    private final MirrorStore store;
    private final String environment;
    private final List<Locale> languages;
    private final Duration pollInterval;
    private final Duration settleDelay;
    private final Backoff backoff;
    private final int pageSize;
    private final Clock clock;
    private final ScheduledExecutorService poller;
    private final Timer lag;
    private final Counter syncOk;
    private final Counter syncFailed;
    private final Counter applied;
    private volatile Instant lastSyncedAt;
    private volatile Instant lastFailureAt;
    private int failures;

    private CatalogMirror(Builder builder) {
        this.client = Objects.requireNonNull(builder.client, "client");
        this.store = builder.store;
        this.environment = builder.environment != null ? builder.environment : client.environment();
        this.languages = List.copyOf(builder.languages);
        this.pollInterval = builder.pollInterval;
        this.settleDelay = builder.settleDelay;
        this.backoff = new Backoff(builder.pollInterval, builder.maxBackoff);
        this.pageSize = builder.pageSize;
        this.clock = builder.clock;
        this.poller = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "wallet-sdk-mirror");
            thread.setDaemon(true);
            return thread;
        });
        MeterRegistry registry = client.meterRegistry();
        Gauge.builder("wallet.sdk.mirror.size", store, MirrorStore::size)
                .description("apps in the mirror")
                .register(registry);
        Gauge.builder("wallet.sdk.mirror.last.sync.age", this, mirror -> mirror.lastSyncedAt == null
                        ? Double.POSITIVE_INFINITY : mirror.lastSyncAge().toMillis() / 1000.0)
                .description("seconds since the mirror last caught up with the change feed (+Inf before the first time)")
                .baseUnit("seconds")
                .register(registry);
        this.lag = Timer.builder("wallet.sdk.mirror.lag")
                .description("from a change on the platform to its application in the mirror")
                .register(registry);
        this.syncOk = Counter.builder("wallet.sdk.mirror.syncs").tag("outcome", "ok").register(registry);
        this.syncFailed = Counter.builder("wallet.sdk.mirror.syncs").tag("outcome", "failed").register(registry);
        this.applied = Counter.builder("wallet.sdk.mirror.changes.applied").register(registry);
    }

    public static Builder builder(WalletClient client) {
        return new Builder(client);
    }

    /** Starts polling in the background (the first poll at once). */
    public CatalogMirror start() {
        poller.execute(this::poll);
        return this;
    }

    /**
     * The mirror's answer for the app in {@code language} (one of the configured languages; any other, or null,
     * gets the first configured one). Empty when the app is not in the mirror, never an exception.
     */
    public Optional<WalletMiniProgram> get(String appId, Locale language) {
        try {
            Optional<WalletMiniProgram> answer = store.get(appId, languageKey(language));
            // a store written by an older configuration may lack this language: any configured one beats none
            for (int i = 0; answer.isEmpty() && i < languages.size(); i++) {
                answer = store.get(appId, languages.get(i).toLanguageTag());
            }
            return answer;
        } catch (RuntimeException e) {
            log.warn("Mirror store failed on a read of {}: {}", appId, e.toString());
            return Optional.empty();
        }
    }

    /** When the mirror last reached the end of the change feed; empty before the first time. */
    public Optional<Instant> lastSyncedAt() {
        return Optional.ofNullable(lastSyncedAt);
    }

    /** How old the mirror's view may be: the time since it last reached the end of the feed. */
    public Duration lastSyncAge() {
        Instant synced = lastSyncedAt;
        return synced == null ? Duration.ofSeconds(Long.MAX_VALUE / 2_000_000_000L)
                : Duration.between(synced, clock.instant());
    }

    /** The last failed poll, if any since start. */
    public Optional<Instant> lastFailureAt() {
        return Optional.ofNullable(lastFailureAt);
    }

    public long size() {
        return store.size();
    }

    /**
     * Follows the feed from the stored cursor to its end, on the calling thread. The background poller calls it;
     * call it yourself only with {@link #start()} not called (tests, a one-shot job).
     */
    public void syncOnce() {
        ChangePage page;
        do {
            String cursor = store.cursor().orElse(null);
            page = client.changes(cursor, pageSize, environment);
            settle(page.changes());
            apply(page.changes());
            store.saveCursor(page.next());
        } while (page.hasMore());
        lastSyncedAt = clock.instant();
    }

    /**
     * A change is in the feed once committed, but the platform's other nodes drop their cached copy of it a moment
     * later (pub/sub at once, their PostgreSQL follower within its interval). A batchGet served by such a node in
     * between answers the copy from before, and the mirror, past the change's cursor, would keep it until the app
     * changes again. So fresh changes are read {@code settleDelay} after they happened; old ones (catching up) at once.
     */
    private void settle(List<ChangePage.Change> changes) {
        if (settleDelay.isZero() || changes.isEmpty()) {
            return;
        }
        Instant newest = changes.stream()
                .map(ChangePage.Change::occurredAt)
                .filter(Objects::nonNull)
                .max(Instant::compareTo)
                .orElse(Instant.EPOCH);
        // measured with the platform's clock against ours: a skew of up to nine settle delays still waits
        if (Duration.between(newest, clock.instant()).compareTo(settleDelay.multipliedBy(10)) > 0) {
            return;
        }
        try {
            Thread.sleep(settleDelay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WalletApiException("interrupted while the mirror waited for changes to settle", 0, null, e);
        }
    }

    private void poll() {
        Duration next;
        try {
            syncOnce();
            syncOk.increment();
            failures = 0;
            next = pollInterval;
        } catch (RuntimeException e) {
            syncFailed.increment();
            failures++;
            lastFailureAt = clock.instant();
            next = backoff.delay(failures + 1);
            log.warn("Mirror sync failed ({} in a row), next try in {} ms; serving what it holds, last synced at {}: {}",
                    failures, next.toMillis(), lastSyncedAt, e.toString());
        }
        if (!poller.isShutdown()) {
            poller.schedule(this::poll, next.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void apply(List<ChangePage.Change> changes) {
        // the last change of an app decides: an UPSERT after a REMOVE is read again, and read once
        Map<String, ChangePage.Change> last = new LinkedHashMap<>();
        changes.forEach(change -> last.put(change.appId(), change));
        List<String> upserts = new ArrayList<>();
        for (ChangePage.Change change : last.values()) {
            if (change.isRemove()) {
                store.remove(change.appId());
            } else {
                upserts.add(change.appId());
            }
        }
        for (int from = 0; from < upserts.size(); from += ApiContract.BATCH_LIMIT) {
            refresh(upserts.subList(from, Math.min(upserts.size(), from + ApiContract.BATCH_LIMIT)));
        }
        Instant now = clock.instant();
        last.values().forEach(change -> {
            if (change.occurredAt() != null) {
                lag.record(Duration.between(change.occurredAt(), now));
            }
        });
        applied.increment(last.size());
    }

    /**
     * Reads the apps in every language first and writes them after, so a reader never sees an app in one language
     * and not (or not yet) in another.
     */
    private void refresh(List<String> appIds) {
        List<Locale> passes = languages.isEmpty() ? java.util.Collections.singletonList(null) : languages;
        Map<String, Map<String, WalletMiniProgram>> answers = new LinkedHashMap<>();
        java.util.Set<String> missing = new java.util.HashSet<>();
        for (Locale language : passes) {
            BatchResult result = language == null
                    ? client.batchGet(appIds, null, environment)
                    : client.batchGet(appIds, null, environment, language);
            String key = language == null ? DEFAULT_LANGUAGE : language.toLanguageTag();
            result.items().forEach(item -> answers.computeIfAbsent(item.appId(), id -> new LinkedHashMap<>()).put(key, item));
            missing.addAll(result.missing());
        }
        for (String appId : appIds) {
            Map<String, WalletMiniProgram> found = answers.get(appId);
            if (found == null || missing.contains(appId)) {
                // nothing live for a user without a user id (taken offline, or only gray/pilot): not in the mirror
                store.remove(appId);
            } else {
                store.put(appId, found);
            }
        }
    }

    private String languageKey(Locale language) {
        if (languages.isEmpty()) {
            return DEFAULT_LANGUAGE;
        }
        if (language != null && languages.contains(language)) {
            return language.toLanguageTag();
        }
        return languages.get(0).toLanguageTag();
    }

    /** Stops polling; the store keeps what it holds. */
    @Override
    public void close() {
        poller.shutdownNow();
        try {
            poller.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public static final class Builder {

        private final WalletClient client;
        private MirrorStore store = new InMemoryMirrorStore();
        private String environment;
        private List<Locale> languages = List.of();
        private Duration pollInterval = Duration.ofSeconds(5);
        private Duration maxBackoff = Duration.ofMinutes(1);
        private Duration settleDelay = Duration.ofSeconds(1);
        private int pageSize = 500;
        private Clock clock = Clock.systemUTC();

        private Builder(WalletClient client) {
            this.client = client;
        }

        /** Where the copy lives ({@link InMemoryMirrorStore} by default). */
        public Builder store(MirrorStore store) {
            this.store = Objects.requireNonNull(store);
            return this;
        }

        /** The environment to mirror (the client's by default). */
        public Builder environment(String environment) {
            this.environment = environment;
            return this;
        }

        /**
         * The languages to keep, each fetched as the platform negotiates it (an app without that language is kept
         * in its default one). None (default): each app in its default language. Every language costs one batchGet
         * per 100 changed apps and one answer per app in the store.
         */
        public Builder languages(Locale... languages) {
            this.languages = List.of(languages);
            return this;
        }

        /** How often to poll the feed when it is healthy (5 s). */
        public Builder pollInterval(Duration pollInterval) {
            this.pollInterval = pollInterval;
            return this;
        }

        /** The longest wait between failed polls (1 min). */
        public Builder maxBackoff(Duration maxBackoff) {
            this.maxBackoff = maxBackoff;
            return this;
        }

        /**
         * How long after a change the mirror reads it (1 s): the time the platform's nodes take to drop their cached
         * copies of a changed app. Shorter makes the mirror faster and risks keeping a copy from before the change.
         */
        public Builder settleDelay(Duration settleDelay) {
            this.settleDelay = Objects.requireNonNull(settleDelay);
            return this;
        }

        /** Changes per feed page (500; 1 to 1000). */
        public Builder pageSize(int pageSize) {
            if (pageSize < 1 || pageSize > ApiContract.CHANGES_LIMIT) {
                throw new IllegalArgumentException("pageSize must be 1 to " + ApiContract.CHANGES_LIMIT);
            }
            this.pageSize = pageSize;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        public CatalogMirror build() {
            return new CatalogMirror(this);
        }
    }
}
