package dev.miniplatform.api.walletregistry;

/**
 * @param deepLinkScheme the URI scheme the wallet app opens previews with; optional, the platform's default
 *                       ({@code mpp-<12 hex of the wallet id>}) when absent
 */
public record WalletRequest(String name, Boolean sandboxReview, String deepLinkScheme) {
}
