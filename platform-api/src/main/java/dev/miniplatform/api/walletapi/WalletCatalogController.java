package dev.miniplatform.api.walletapi;

import dev.miniplatform.auth.principal.CurrentPrincipal;
import dev.miniplatform.auth.principal.PlatformPrincipal;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.UUID;

/**
 * The wallet metadata API (DESIGN §7). Only a wallet's own client-credentials token with {@code metadata:read}
 * gets here (security chain); the wallet is the one named by the token, never by the request.
 */
@Tag(name = "Wallet metadata", description = "Released mini program metadata for super apps")
@RestController
@RequestMapping(WalletPaths.BASE)
class WalletCatalogController {

    private static final CacheControl IMMUTABLE = CacheControl.maxAge(Duration.ofDays(365)).cachePublic().immutable();
    /**
     * A version's ext config never changes (versions are never updated), but unlike a package or logo its URL is not
     * a hash a wallet can only know from its own metadata: shared caches must not keep it for other wallets.
     */
    private static final CacheControl PRIVATE_IMMUTABLE = CacheControl.maxAge(Duration.ofDays(365)).cachePrivate().immutable();

    private final WalletCatalogService catalog;

    WalletCatalogController(WalletCatalogService catalog) {
        this.catalog = catalog;
    }

    /** RFC 9110 §13.1.2: weak comparison, a list of tags or "*". */
    static boolean matches(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null) {
            return false;
        }
        for (String candidate : ifNoneMatch.split(",")) {
            String tag = candidate.trim();
            if (tag.equals("*") || tag.equals(etag) || tag.equals("W/" + etag)) {
                return true;
            }
        }
        return false;
    }

    @Operation(summary = "Up to 100 mini programs at once; ids with nothing live for this wallet are listed in 'missing'")
    @PostMapping("/mini-programs:batchGet")
    Mono<ResponseEntity<byte[]>> batchGet(@RequestBody(required = false) BatchGetRequest request,
                                          @RequestHeader(value = HttpHeaders.ACCEPT_LANGUAGE, required = false) String acceptLanguage) {
        return walletId()
                .flatMap(wallet -> catalog.batchGet(wallet, request, acceptLanguage))
                .map(body -> ResponseEntity.ok()
                        .contentType(MediaType.APPLICATION_JSON)
                        .varyBy(HttpHeaders.ACCEPT_LANGUAGE)
                        .cacheControl(CacheControl.noStore())
                        .body(body));
    }

    @Operation(summary = "Released mini programs, filtered and sorted, one bounded page at a time")
    @GetMapping("/mini-programs")
    Mono<CatalogQueries.ListPage> list(@RequestParam(required = false) String q,
                                       @RequestParam(required = false) String industry,
                                       @RequestParam(required = false) String status,
                                       @RequestParam(required = false) String sort,
                                       @RequestParam(required = false) Integer page,
                                       @RequestParam(required = false) Integer size,
                                       @RequestParam(required = false) String environment) {
        ListRequest request = new ListRequest(q, industry, status, sort, page, size, environment);
        return walletId()
                .flatMap(wallet -> catalog.list(wallet, request));
    }

    @Operation(summary = "What changed since the cursor (from the beginning without one); follow 'next'")
    @GetMapping("/changes")
    Mono<CatalogQueries.ChangePage> changes(@RequestParam(required = false) String since,
                                            @RequestParam(required = false) Integer limit,
                                            @RequestParam(required = false) String environment) {
        return walletId()
                .flatMap(wallet -> catalog.changes(wallet, since, limit, environment));
    }

    @Operation(summary = "Logo bytes by their SHA-256: immutable, the hash is the ETag",
            responses = {
                    @ApiResponse(responseCode = "200", content = @Content(mediaType = "image/*",
                            schema = @Schema(type = "string", format = "binary"))),
                    @ApiResponse(responseCode = "304", description = "If-None-Match matched")})
    @GetMapping("/logos/{sha256}")
    Mono<ResponseEntity<Flux<ByteBuffer>>> logo(@PathVariable String sha256) {
        return walletId()
                .flatMap(wallet -> catalog.logo(wallet, sha256))
                .map(WalletCatalogController::immutable);
    }

    @Operation(summary = "Code package bytes by their SHA-256, streamed: immutable, the hash is the ETag",
            responses = {
                    @ApiResponse(responseCode = "200", content = @Content(mediaType = "application/zip",
                            schema = @Schema(type = "string", format = "binary"))),
                    @ApiResponse(responseCode = "304", description = "If-None-Match matched")})
    @GetMapping("/packages/{sha256}")
    Mono<ResponseEntity<Flux<ByteBuffer>>> codePackage(@PathVariable String sha256) {
        return walletId()
                .flatMap(wallet -> catalog.codePackage(wallet, sha256))
                .map(WalletCatalogController::immutable);
    }

    @Operation(summary = "A template instance's ext config (the merchant's settings) for one of its live versions, as "
            + "the JSON applied; its SHA-256 is the answer's extConfigSha256 and the ETag. The mini program reads it "
            + "at run time as its ext config (my.getExtConfigSync / wx.getExtConfigSync)",
            responses = {
                    @ApiResponse(responseCode = "200", content = @Content(mediaType = "application/json",
                            schema = @Schema(type = "object"))),
                    @ApiResponse(responseCode = "304", description = "If-None-Match matched"),
                    @ApiResponse(responseCode = "404", description = "not a template instance's version live for this wallet")})
    @GetMapping("/mini-programs/{appId}/versions/{version}/ext-config")
    Mono<ResponseEntity<Flux<ByteBuffer>>> extConfig(@PathVariable String appId, @PathVariable String version) {
        return walletId()
                .flatMap(wallet -> catalog.extConfig(wallet, appId, version))
                .map(file -> immutable(file, PRIVATE_IMMUTABLE));
    }

    /**
     * The content is read only once the headers are out, and not at all for a 304: Spring answers If-None-Match
     * from the ETag before it subscribes to the body.
     */
    private static ResponseEntity<Flux<ByteBuffer>> immutable(WalletFiles.WalletFile file) {
        return immutable(file, IMMUTABLE);
    }

    private static ResponseEntity<Flux<ByteBuffer>> immutable(WalletFiles.WalletFile file, CacheControl cacheControl) {
        return ResponseEntity.ok()
                .cacheControl(cacheControl)
                .eTag(file.sha256())
                .contentType(MediaType.parseMediaType(file.contentType()))
                .contentLength(file.size())
                .body(file.content());
    }

    private static Mono<UUID> walletId() {
        return CurrentPrincipal.get()
                .ofType(PlatformPrincipal.WalletClient.class)
                .map(PlatformPrincipal.WalletClient::walletId);
    }
}
