package dev.miniplatform.api.walletregistry;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;

import java.util.UUID;

/**
 * The release targets a console user can choose from: each wallet's id and name, nothing about its client.
 */
@Tag(name = "Wallets", description = "Release targets for the console")
@RestController
class WalletDirectoryController {

    record WalletTarget(UUID id, String name) {
    }

    private final WalletService wallets;

    WalletDirectoryController(WalletService wallets) {
        this.wallets = wallets;
    }

    @Operation(summary = "Wallets a version can be released to (id and name)")
    @GetMapping("/api/v1/wallets")
    Flux<WalletTarget> list() {
        return wallets.list()
                .map(wallet -> new WalletTarget(wallet.id(), wallet.name()));
    }
}
