package dev.miniplatform.api.walletregistry;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.miniplatform.model.wallet.Wallet;

import java.time.Instant;
import java.util.UUID;

/**
 * A registered wallet. {@code clientSecret} is present only in the answer to the registration, never again.
 */
public record WalletView(UUID id, String name, String clientId, boolean sandboxReview, String deepLinkScheme,
                         Instant createdAt, @JsonInclude(JsonInclude.Include.NON_NULL) String clientSecret) {

    static WalletView of(Wallet wallet, String secret) {
        return new WalletView(wallet.id(), wallet.name(), wallet.clientId(), wallet.sandboxReview(),
                wallet.deepLinkScheme(), wallet.createdAt(), secret);
    }
}
