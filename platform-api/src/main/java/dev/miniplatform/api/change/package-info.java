/**
 * "A mini program changed": the one event the features that change what a wallet or the console sees publish
 * (mini programs, releases, workspaces, batch jobs), and the port its listeners implement. It owns no data and
 * depends on no other module, so publishers and listeners both point at it and never at each other.
 */
@ApplicationModule(displayName = "Mini program changes", allowedDependencies = {})
package dev.miniplatform.api.change;

import org.springframework.modulith.ApplicationModule;
