package dev.miniplatform.api.release;

/**
 * A release target as clients send it: a registered wallet's id and an environment.
 */
record TargetRequest(String wallet, String environment) {
}
