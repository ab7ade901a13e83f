/**
 * Merchants' authorizations of ISVs (OAuth consent on Keycloak's pages, PKCE, the code exchange), what an
 * authorization lets an ISV do in the merchant's workspace ({@code DelegatedAccess}, with its grant cache), and
 * revocation, with Keycloak's part retried until it holds.
 */
@ApplicationModule(displayName = "ISV authorizations", allowedDependencies = {"access", "audit", "error", "isv", "ops", "outbox"})
package dev.miniplatform.api.authorization;

import org.springframework.modulith.ApplicationModule;
