package dev.miniplatform.api.preview;

import dev.miniplatform.auth.principal.CurrentPrincipal;
import dev.miniplatform.auth.principal.PlatformPrincipal;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.nio.ByteBuffer;
import java.util.UUID;

/**
 * The wallet's side of previews, behind the wallet API's security rule (a wallet client with {@code metadata:read})
 * and its per-wallet rate limit, like every {@code /wallet/**} path. Answers are never cached: they depend on who is
 * a tester now.
 */
@Tag(name = "Wallet previews", description = "Open a preview by its ticket, for a tester")
@RestController
@RequestMapping("/wallet/v1/previews/{ticket}")
class WalletPreviewController {

    private final WalletPreviews previews;

    WalletPreviewController(WalletPreviews previews) {
        this.previews = previews;
    }

    @Operation(operationId = "resolveWalletPreview", summary = "Resolve a preview ticket for a wallet user: appId, packageUrl, packageSha256, expiresAt — only "
            + "for a tester of an active member who may work on that mini program, on the wallet it was issued for",
            responses = {
                    @ApiResponse(responseCode = "200"),
                    @ApiResponse(responseCode = "400", description = "userId missing or malformed"),
                    @ApiResponse(responseCode = "404", description = "anything else, always the same answer")})
    @GetMapping
    Mono<ResponseEntity<WalletPreviews.Resolved>> resolve(@PathVariable String ticket,
                                                         @RequestParam(required = false) String userId) {
        return walletId()
                .flatMap(wallet -> previews.resolve(wallet, ticket, userId))
                .map(resolved -> ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(resolved));
    }

    @Operation(operationId = "getWalletPreviewPackage", summary = "The preview's package bytes, streamed, under the same check as the ticket's resolution",
            responses = @ApiResponse(responseCode = "200", content = @Content(mediaType = "application/zip",
                    schema = @Schema(type = "string", format = "binary"))))
    @GetMapping("/package")
    Mono<ResponseEntity<Flux<ByteBuffer>>> codePackage(@PathVariable String ticket,
                                                      @RequestParam(required = false) String userId) {
        return walletId()
                .flatMap(wallet -> previews.openable(wallet, ticket, userId)
                        .map(found -> ResponseEntity.ok()
                                .cacheControl(CacheControl.noStore())
                                .eTag(found.sha256())
                                .contentType(MediaType.parseMediaType("application/zip"))
                                .contentLength(found.size())
                                .body(previews.content(wallet, ticket, userId, found))));
    }

    private static Mono<UUID> walletId() {
        return CurrentPrincipal.get()
                .ofType(PlatformPrincipal.WalletClient.class)
                .map(PlatformPrincipal.WalletClient::walletId);
    }
}
