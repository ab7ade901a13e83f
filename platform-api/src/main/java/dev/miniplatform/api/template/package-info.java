/**
 * An ISV's templates (versioned code packages with an ext-config schema) and the batch jobs that create,
 * upgrade and release mini programs from them in its merchants' workspaces.
 */
@ApplicationModule(displayName = "Templates and batch jobs", allowedDependencies = {"access", "audit", "authorization", "change", "industry", "isv", "miniprogram", "paging", "release", "sample", "workspace"})
package dev.miniplatform.api.template;

import org.springframework.modulith.ApplicationModule;
