/**
 * The one way into a tenant's data: {@link dev.miniplatform.api.access.TenantScope} resolves the caller's
 * membership (or, through {@link dev.miniplatform.api.access.DelegatedAccess}, an ISV's authorization) and runs the
 * work in the tenant's transaction; {@link dev.miniplatform.api.access.Access} says what the caller may do there.
 * Every feature builds on it, so it builds on no feature.
 */
@ApplicationModule(displayName = "Tenant access", allowedDependencies = {"error"})
package dev.miniplatform.api.access;

import org.springframework.modulith.ApplicationModule;
