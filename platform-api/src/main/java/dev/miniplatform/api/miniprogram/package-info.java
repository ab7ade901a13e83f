/**
 * A merchant's mini programs: create, edit, logo, delete, and the console's hot read path with its cache.
 */
@ApplicationModule(displayName = "Mini programs", allowedDependencies = {"access", "audit", "change", "industry", "paging", "workspace"})
package dev.miniplatform.api.miniprogram;

import org.springframework.modulith.ApplicationModule;
