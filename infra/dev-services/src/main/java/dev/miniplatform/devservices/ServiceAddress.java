package dev.miniplatform.devservices;

/**
 * Where a provisioned service listens, and how it came to be there (for the start-up log).
 */
record ServiceAddress(String host, int port, String origin) {
}
