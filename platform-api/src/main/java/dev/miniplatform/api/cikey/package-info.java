/**
 * CI keys: a workspace's owner or master gives a build pipeline a key (a confidential Keycloak client, client
 * credentials) that may only upload versions and create previews of the mini programs it names, and submit them for
 * review when allowed, from optional source addresses. The secret is shown once and lives in Keycloak; what the key
 * may do, its revocation and its last rotation are read from the database on every request.
 */
@ApplicationModule(displayName = "CI keys",
        allowedDependencies = {"access", "audit"})
package dev.miniplatform.api.cikey;

import org.springframework.modulith.ApplicationModule;
