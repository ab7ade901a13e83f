package dev.miniplatform.api.walletapi;

/**
 * One serialized answer of the single get: the JSON bytes, their strong ETag and the language they are in.
 */
record WalletAnswer(byte[] body, String etag, String language) {
}
