package dev.miniplatform.api.walletregistry;

import dev.miniplatform.auth.principal.CurrentPrincipal;
import dev.miniplatform.auth.principal.PlatformPrincipal;
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

/**
 * The wallet registry, kept by platform admins (the security chain admits only the platform-admin realm role).
 */
@Tag(name = "Wallets (platform admin)", description = "Register super apps as release targets and API clients")
@RestController
@RequestMapping("/api/v1/admin/wallets")
class WalletController {

    private final WalletService wallets;

    WalletController(WalletService wallets) {
        this.wallets = wallets;
    }

    @Operation(summary = "Register a wallet; the answer carries its client secret, shown this once")
    @PostMapping
    Mono<ResponseEntity<WalletView>> register(@RequestBody WalletRequest request) {
        return CurrentPrincipal.get()
                .map(PlatformPrincipal::actorId)
                .flatMap(admin -> wallets.register(request, admin))
                .map(view -> ResponseEntity.created(URI.create("/api/v1/admin/wallets/" + view.id())).body(view));
    }

    @Operation(summary = "Platform admin: every registered wallet")
    @GetMapping
    Flux<WalletView> list() {
        return wallets.list();
    }
}
