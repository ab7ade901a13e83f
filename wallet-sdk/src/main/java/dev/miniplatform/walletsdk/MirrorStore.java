package dev.miniplatform.walletsdk;

import java.util.Map;
import java.util.Optional;

/**
 * Where a {@link CatalogMirror} keeps its copy: one answer per (app id, language key) and the change feed's cursor.
 * Implementations must be safe for one writer (the mirror's sync thread) and many concurrent readers. A persistent
 * store (a file, a table) lets a restarted wallet answer at once and continue the feed where it stopped; the
 * mirror saves the cursor only after the page it ends has been applied, so a crash in between replays that page
 * (every change is safe to apply twice).
 */
public interface MirrorStore {

    Optional<WalletMiniProgram> get(String appId, String languageKey);

    /** Replaces everything held of the app by these answers, language key → answer, in one step for readers. */
    void put(String appId, Map<String, WalletMiniProgram> answersByLanguage);

    /** Forgets every language of the app. */
    void remove(String appId);

    /** The cursor after the last applied page; empty before the first. */
    Optional<String> cursor();

    void saveCursor(String cursor);

    /** Apps held. */
    long size();
}
