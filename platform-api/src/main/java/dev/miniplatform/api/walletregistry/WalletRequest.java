package dev.miniplatform.api.walletregistry;

public record WalletRequest(String name, Boolean sandboxReview) {
}
