/**
 * Serves the single-page console and its runtime configuration.
 */
@ApplicationModule(displayName = "Web console", allowedDependencies = {})
package dev.miniplatform.api.console;

import org.springframework.modulith.ApplicationModule;
