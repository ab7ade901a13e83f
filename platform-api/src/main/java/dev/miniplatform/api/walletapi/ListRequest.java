package dev.miniplatform.api.walletapi;

/** The list's query parameters, as given. */
record ListRequest(String q, String industry, String status, String sort, Integer page, Integer size,
                   String environment) {
}
