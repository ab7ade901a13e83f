/**
 * Independent software vendors themselves: their application (a Keycloak client with redirect URIs and a webhook
 * endpoint), the directory other modules look ISVs up in, their settings, and the platform admin's suspension.
 * What merchants grant them lives in {@code authorization}, what they offer in {@code marketplace}, what they are
 * told in {@code webhook}.
 */
@ApplicationModule(displayName = "ISVs", allowedDependencies = {"access", "audit"})
package dev.miniplatform.api.isv;

import org.springframework.modulith.ApplicationModule;
