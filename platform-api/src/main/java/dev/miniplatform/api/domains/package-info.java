/**
 * Server domains: a mini program's request, upload, download, socket and web-view allow-lists, edited by the people
 * who may change the mini program (and ISVs with {@code miniprogram:write}). Wallets get them with each release, as
 * they were when the release went live (V29's trigger copies them into the release row), so this module publishes
 * no change of its own: an edit alone changes nothing a wallet sees.
 */
@ApplicationModule(displayName = "Server domains", allowedDependencies = {"access", "audit", "miniprogram"})
package dev.miniplatform.api.domains;

import org.springframework.modulith.ApplicationModule;
