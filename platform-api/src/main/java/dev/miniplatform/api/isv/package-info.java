/**
 * Independent software vendors: their application (a Keycloak client), the marketplace of their services,
 * merchants' authorizations and what they let an ISV do ({@code DelegatedAccess}), and the signed webhooks that
 * deliver the outbox's events.
 */
@ApplicationModule(displayName = "ISV platform", allowedDependencies = {"access", "audit", "error", "ops", "outbox", "paging"})
package dev.miniplatform.api.isv;

import org.springframework.modulith.ApplicationModule;
