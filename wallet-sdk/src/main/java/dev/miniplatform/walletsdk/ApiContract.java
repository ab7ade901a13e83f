package dev.miniplatform.walletsdk;

import java.util.List;
import java.util.Map;

/**
 * Every path, method and parameter the SDK sends, in one place: the client builds its requests from these, and
 * {@code OpenApiContractTest} checks each against the platform's committed OpenAPI document (docs/openapi.json),
 * together with the fields of the records the SDK reads, so an API change that would break the SDK fails its build.
 */
final class ApiContract {

    static final String GET = "/wallet/v1/mini-programs/{appId}";
    static final String BATCH_GET = "/wallet/v1/mini-programs:batchGet";
    static final String LIST = "/wallet/v1/mini-programs";
    static final String CHANGES = "/wallet/v1/changes";

    /** Path → (method, the query/header/path parameters the SDK sends on it). */
    static final Map<String, Operation> OPERATIONS = Map.of(
            GET, new Operation("get", List.of("appId", "userId", "environment", "Accept-Language", "If-None-Match")),
            BATCH_GET, new Operation("post", List.of("Accept-Language")),
            LIST, new Operation("get", List.of("q", "industry", "status", "sort", "page", "size", "environment")),
            CHANGES, new Operation("get", List.of("since", "limit", "environment")));

    /** The batchGet request body's fields. */
    static final List<String> BATCH_GET_BODY = List.of("appIds", "userId", "environment");

    static final int BATCH_LIMIT = 100;
    static final int CHANGES_LIMIT = 1000;

    record Operation(String method, List<String> parameters) {
    }

    private ApiContract() {
    }
}
