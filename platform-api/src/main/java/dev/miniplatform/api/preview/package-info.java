/**
 * Debugging on a real wallet before any review: members bind their own wallet user ids as tester accounts, and
 * developers upload code packages as previews. A preview is stored and counted like a version's package but is not a
 * version (no review, never in the wallet catalog), expires, and is opened by a wallet through a short-lived ticket
 * (deep link and QR code) for a tester of an active member who may work on that mini program.
 */
@ApplicationModule(displayName = "Tester accounts and previews",
        allowedDependencies = {"access", "audit", "miniprogram", "release", "walletregistry", "workspace"})
package dev.miniplatform.api.preview;

import org.springframework.modulith.ApplicationModule;
