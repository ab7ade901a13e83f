/**
 * What wallets read: the released mini programs of every merchant (metadata, files, change feed), behind a
 * near cache, Redis and a rate limit. Features that change what a wallet sees write the feed
 * ({@link dev.miniplatform.api.catalog.CatalogChanges}) and, after commit, invalidate
 * ({@link dev.miniplatform.api.catalog.CatalogInvalidation}).
 */
@ApplicationModule(displayName = "Wallet API", allowedDependencies = {})
package dev.miniplatform.api.catalog;

import org.springframework.modulith.ApplicationModule;
