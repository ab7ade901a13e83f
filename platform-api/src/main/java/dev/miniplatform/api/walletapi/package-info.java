/**
 * What wallets read: the released mini programs of every merchant (metadata, files, change feed), behind a
 * near cache, Redis and a rate limit. It learns of what features change by listening to
 * {@link dev.miniplatform.api.change.MiniProgramChanged}: the feed row inside the change's transaction, every
 * node's invalidation after its commit. No feature calls into it.
 */
@ApplicationModule(displayName = "Wallet API", allowedDependencies = {"change"})
package dev.miniplatform.api.walletapi;

import org.springframework.modulith.ApplicationModule;
