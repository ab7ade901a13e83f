package dev.miniplatform.walletsdk;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The last ETag and answer per request key (app, environment, user, languages), least recently used first out,
 * so the SDK can revalidate with If-None-Match and reuse the answer on 304. Bounded: {@code maxEntries} answers.
 */
final class EtagCache {

    record Cached(String etag, WalletMiniProgram answer) {
    }

    private final int maxEntries;
    private final LinkedHashMap<String, Cached> entries;

    EtagCache(int maxEntries) {
        this.maxEntries = maxEntries;
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Cached> eldest) {
                return size() > EtagCache.this.maxEntries;
            }
        };
    }

    synchronized Cached get(String key) {
        return maxEntries == 0 ? null : entries.get(key);
    }

    synchronized void put(String key, Cached entry) {
        if (maxEntries > 0) {
            entries.put(key, entry);
        }
    }

    synchronized void remove(String key) {
        entries.remove(key);
    }

    synchronized int size() {
        return entries.size();
    }
}
