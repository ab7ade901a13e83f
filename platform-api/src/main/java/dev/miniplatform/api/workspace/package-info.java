/**
 * Merchant and ISV workspaces (tenants): sign-up, "my workspaces", ownership transfer, closing, and quotas.
 */
@ApplicationModule(displayName = "Workspaces", allowedDependencies = {"access", "audit", "change", "cikey", "error", "identity", "ops"})
package dev.miniplatform.api.workspace;

import org.springframework.modulith.ApplicationModule;
