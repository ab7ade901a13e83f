package dev.miniplatform.api.wallet;

public record WalletRequest(String name, Boolean sandboxReview) {
}
