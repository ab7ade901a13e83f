/**
 * A mini program's code packages (versions), the platform's review queue, and releases to wallets (gray,
 * full, rollback) along the release state machine.
 */
@ApplicationModule(displayName = "Versions, reviews and releases", allowedDependencies = {"access", "audit", "change", "error", "miniprogram", "outbox", "workspace"})
package dev.miniplatform.api.release;

import org.springframework.modulith.ApplicationModule;
