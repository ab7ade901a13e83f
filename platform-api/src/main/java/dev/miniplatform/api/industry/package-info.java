/**
 * The industries a mini program or an ISV service can be listed under.
 */
@ApplicationModule(displayName = "Industry list", allowedDependencies = {})
package dev.miniplatform.api.industry;

import org.springframework.modulith.ApplicationModule;
