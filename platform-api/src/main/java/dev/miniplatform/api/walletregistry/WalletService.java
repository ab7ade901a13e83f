package dev.miniplatform.api.walletregistry;

import dev.miniplatform.auth.keycloak.KeycloakAdmin;
import dev.miniplatform.model.tenancy.TenantName;
import dev.miniplatform.model.validation.Validation;
import dev.miniplatform.model.wallet.DeepLinkScheme;
import dev.miniplatform.model.wallet.Wallet;
import dev.miniplatform.model.wallet.WalletRepository;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Clock;
import java.util.Locale;
import java.util.UUID;

/**
 * The wallet registry: a wallet is a release target owner and a Keycloak client for the wallet API.
 */
@Service
public class WalletService {

    private final WalletRepository wallets;
    private final KeycloakAdmin keycloak;
    private final Clock clock;

    WalletService(WalletRepository wallets, KeycloakAdmin keycloak, Clock clock) {
        this.wallets = wallets;
        this.keycloak = keycloak;
        this.clock = clock;
    }

    /** Registers the wallet; the answer carries the client secret, which is not stored by the platform. */
    public Mono<WalletView> register(WalletRequest request, String actor) {
        Validation validation = new Validation();
        TenantName name = validation.attempt(() -> new TenantName(request.name()));
        if (request.sandboxReview() == null) {
            validation.reject("sandboxReview", "required", "say whether SANDBOX releases to this wallet need a review");
        }
        UUID id = UUID.randomUUID();
        DeepLinkScheme scheme = request.deepLinkScheme() == null ? DeepLinkScheme.defaultFor(id)
                : validation.attempt(() -> DeepLinkScheme.parse(request.deepLinkScheme()));
        validation.throwIfInvalid();
        String clientId = "wallet-" + slug(name.value()) + "-" + UUID.randomUUID().toString().substring(0, 6);
        // Keycloak first, outside any transaction (the answer carries the secret); undone if the row cannot be written
        return keycloak.registerWalletClient(clientId, name.value(), id.toString())
                .flatMap(secret -> wallets.save(new Wallet(id, name.value(), clientId,
                                request.sandboxReview(), actor, clock.instant(), scheme.value()))
                        .map(saved -> WalletView.of(saved, secret))
                        .onErrorResume(e -> keycloak.removeClient(clientId)
                                .onErrorResume(undo -> Mono.empty())
                                .then(Mono.error(e))));
    }

    /** One registered wallet, or empty; for features that name a wallet (release targets, previews). */
    public Mono<WalletView> find(UUID id) {
        return wallets.findById(id)
                .map(wallet -> WalletView.of(wallet, null));
    }

    public Flux<WalletView> list() {
        return wallets.findAllByOrderByCreatedAtAsc()
                .map(wallet -> WalletView.of(wallet, null));
    }

    private static String slug(String name) {
        String slug = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
        return slug.isEmpty() ? "app" : slug.substring(0, Math.min(slug.length(), 30));
    }
}
