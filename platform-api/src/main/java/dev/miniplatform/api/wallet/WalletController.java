package dev.miniplatform.api.wallet;

import dev.miniplatform.auth.keycloak.KeycloakAdmin;
import dev.miniplatform.auth.principal.CurrentPrincipal;
import dev.miniplatform.model.tenancy.TenantName;
import dev.miniplatform.model.validation.Validation;
import dev.miniplatform.model.wallet.Wallet;
import dev.miniplatform.model.wallet.WalletRepository;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.net.URI;
import java.time.Clock;
import java.util.Locale;
import java.util.UUID;

/**
 * The wallet registry, kept by platform admins (the security chain admits only the platform-admin realm role
 * here). Registering a wallet also creates its Keycloak client for the wallet API.
 */
@Tag(name = "Wallets (platform admin)", description = "Register super apps as release targets and API clients")
@RestController
@RequestMapping("/api/v1/admin/wallets")
class WalletController {

    private final WalletRepository wallets;
    private final KeycloakAdmin keycloak;
    private final Clock clock;

    WalletController(WalletRepository wallets, KeycloakAdmin keycloak, Clock clock) {
        this.wallets = wallets;
        this.keycloak = keycloak;
        this.clock = clock;
    }

    @Operation(summary = "Register a wallet; the answer carries its client secret, shown this once")
    @PostMapping
    Mono<ResponseEntity<WalletView>> register(@RequestBody WalletRequest request) {
        Validation validation = new Validation();
        TenantName name = validation.attempt(() -> new TenantName(request.name()));
        if (request.sandboxReview() == null) {
            validation.reject("sandboxReview", "required", "say whether SANDBOX releases to this wallet need a review");
        }
        validation.throwIfInvalid();
        String clientId = "wallet-" + slug(name.value()) + "-" + UUID.randomUUID().toString().substring(0, 6);
        return CurrentPrincipal.get()
                .flatMap(admin -> keycloak.registerWalletClient(clientId, name.value())
                        .flatMap(secret -> wallets.save(new Wallet(UUID.randomUUID(), name.value(), clientId,
                                        request.sandboxReview(), admin.actorId(), clock.instant()))
                                .map(saved -> WalletView.of(saved, secret))))
                .map(view -> ResponseEntity.created(URI.create("/api/v1/admin/wallets/" + view.id())).body(view));
    }

    @GetMapping
    Flux<WalletView> list() {
        return wallets.findAllByOrderByCreatedAtAsc()
                .map(wallet -> WalletView.of(wallet, null));
    }

    private static String slug(String name) {
        String slug = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
        return slug.isEmpty() ? "app" : slug.substring(0, Math.min(slug.length(), 30));
    }
}
