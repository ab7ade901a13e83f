/**
 * The wallets a mini program can be released to: each a release target and a Keycloak client of the wallet
 * API.
 */
@ApplicationModule(displayName = "Wallet registry", allowedDependencies = {})
package dev.miniplatform.api.walletregistry;

import org.springframework.modulith.ApplicationModule;
