/**
 * Makes Keycloak follow the database: {@link dev.miniplatform.api.identity.IdentitySync} queues a member's or
 * a workspace's change with the transaction and converges Keycloak after the commit.
 */
@ApplicationModule(displayName = "Identity sync", allowedDependencies = {})
package dev.miniplatform.api.identity;

import org.springframework.modulith.ApplicationModule;
