package dev.miniplatform.api.walletapi;

import java.util.List;

/** {@code POST /wallet/v1/mini-programs:batchGet}: up to 100 app ids, the wallet user, the environment (PROD). */
record BatchGetRequest(List<String> appIds, String userId, String environment) {
}
