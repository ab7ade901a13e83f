package dev.miniplatform.walletsdk;

import java.util.List;

/**
 * The answer of {@code POST /wallet/v1/mini-programs:batchGet}: the live ones in request order, and the ids with
 * nothing live for this wallet, environment and user.
 */
public record BatchResult(List<WalletMiniProgram> items, List<String> missing) {

    public BatchResult {
        items = items == null ? List.of() : List.copyOf(items);
        missing = missing == null ? List.of() : List.copyOf(missing);
    }
}
