/**
 * A workspace's people: invitations by mail, roles, blocking, and which mini programs a developer works on.
 */
@ApplicationModule(displayName = "Members and invitations", allowedDependencies = {"access", "audit", "identity", "ops"})
package dev.miniplatform.api.member;

import org.springframework.modulith.ApplicationModule;
