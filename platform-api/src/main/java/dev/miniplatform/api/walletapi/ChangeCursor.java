package dev.miniplatform.api.walletapi;

import dev.miniplatform.model.validation.InvalidInputException;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A position in the change feed: the writing transaction's id and the row's sequence number. Rows are served in
 * (tx, seq) order and only once their transaction is older than every running one
 * ({@code tx < pg_snapshot_xmin(pg_current_snapshot())}): every row that becomes visible later belongs to a
 * transaction that was still running, hence has a larger tx, hence sorts after any cursor handed out. Opaque to
 * wallets (base64url of {@code v1:<tx>:<seq>}).
 */
record ChangeCursor(String tx, long seq) {

    static final ChangeCursor BEGINNING = new ChangeCursor("0", 0);

    static ChangeCursor parse(String field, String raw) {
        if (raw == null || raw.isEmpty()) {
            return BEGINNING;
        }
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(raw), StandardCharsets.UTF_8).split(":");
            if (parts.length != 3 || !parts[0].equals("v1") || !parts[1].matches("\\d{1,20}")) {
                throw new IllegalArgumentException("shape");
            }
            return new ChangeCursor(parts[1], Long.parseLong(parts[2]));
        } catch (IllegalArgumentException e) {
            throw InvalidInputException.of(field, "cursor", "not a cursor handed out by this feed");
        }
    }

    String encode() {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString(("v1:" + tx + ":" + seq).getBytes(StandardCharsets.UTF_8));
    }
}
