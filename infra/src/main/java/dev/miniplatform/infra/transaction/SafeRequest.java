package dev.miniplatform.infra.transaction;

import reactor.util.context.Context;
import reactor.util.context.ContextView;

/**
 * Marks reactive work done for an HTTP request with a safe method (GET, HEAD: RFC 9110 §9.2.1, no change
 * requested). {@link TenantTransactions} passes the mark to PostgreSQL ({@code app.safe_request}), where the tables
 * that the console's cached reads come from refuse writes (V26), and tells no {@link TenantChangeListener} after
 * such a transaction: a read has nothing to invalidate.
 */
public final class SafeRequest {

    static final Object KEY = SafeRequest.class;

    private SafeRequest() {
    }

    public static Context mark(Context context) {
        return context.put(KEY, Boolean.TRUE);
    }

    static boolean in(ContextView context) {
        return context.getOrDefault(KEY, Boolean.FALSE);
    }
}
