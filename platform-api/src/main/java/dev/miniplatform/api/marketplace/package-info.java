/**
 * The services ISVs offer (development or template), the platform admin's approval of them, and the marketplace
 * where merchants find approved ones.
 */
@ApplicationModule(displayName = "ISV marketplace", allowedDependencies = {"access", "audit", "paging"})
package dev.miniplatform.api.marketplace;

import org.springframework.modulith.ApplicationModule;
