package dev.miniplatform.api.release;

/** Reject needs a reason the developer can act on; approve takes none. */
record ReviewDecision(String reason) {
}
