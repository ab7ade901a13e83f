package dev.miniplatform.walletsdk;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The default store: everything on the heap, nothing survives the process. It grows with the catalog released to
 * this wallet: one answer (about 1 KB) per app and configured language; 100,000 apps in two languages are about
 * 200 MB. Larger catalogs want a store of their own (a file, a table).
 */
public final class InMemoryMirrorStore implements MirrorStore {

    private final Map<String, Map<String, WalletMiniProgram>> apps = new ConcurrentHashMap<>();
    private volatile String cursor;

    @Override
    public Optional<WalletMiniProgram> get(String appId, String languageKey) {
        Map<String, WalletMiniProgram> languages = apps.get(appId);
        return languages == null ? Optional.empty() : Optional.ofNullable(languages.get(languageKey));
    }

    @Override
    public void put(String appId, Map<String, WalletMiniProgram> answersByLanguage) {
        apps.put(appId, Map.copyOf(answersByLanguage));
    }

    @Override
    public void remove(String appId) {
        apps.remove(appId);
    }

    @Override
    public Optional<String> cursor() {
        return Optional.ofNullable(cursor);
    }

    @Override
    public void saveCursor(String cursor) {
        this.cursor = cursor;
    }

    @Override
    public long size() {
        return apps.size();
    }
}
