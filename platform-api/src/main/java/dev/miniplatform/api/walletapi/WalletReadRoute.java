package dev.miniplatform.api.walletapi;

import dev.miniplatform.auth.principal.CurrentPrincipal;
import dev.miniplatform.auth.principal.PlatformPrincipal;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springdoc.core.annotations.RouterOperation;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * {@code GET /wallet/v1/mini-programs/{appId}}, the hottest path of the platform, as a functional route: it is
 * found before the annotated controllers' mappings are scanned and writes the prepared bytes of a cached answer
 * without argument resolution or result-handler negotiation (together ~7 % of a cached read's CPU as an
 * annotated method; decision 118). The rest of the wallet API stays in {@link WalletCatalogController}.
 */
@Configuration(proxyBeanMethods = false)
class WalletReadRoute {

    static final String PATH = WalletPaths.BASE + "/mini-programs/{appId}";

    private final WalletCatalogService catalog;
    private final CacheControl answers;

    WalletReadRoute(WalletCatalogService catalog, WalletProperties properties) {
        this.catalog = catalog;
        // private: an answer is for one wallet (its token), so shared caches must not keep it
        this.answers = CacheControl.maxAge(properties.cache().clientMaxAge()).cachePrivate();
    }

    @Bean
    @RouterOperation(path = PATH, method = RequestMethod.GET, operation = @Operation(
            operationId = "getWalletMiniProgram", tags = "Wallet metadata",
            summary = "One mini program as released to this wallet, in the best language, with the version for the user",
            parameters = {
                    @Parameter(in = ParameterIn.PATH, name = "appId", required = true),
                    @Parameter(in = ParameterIn.QUERY, name = "userId", description = "picks the version per gray and pilot rules"),
                    @Parameter(in = ParameterIn.QUERY, name = "environment", description = "PROD (default), TEST or DEV"),
                    @Parameter(in = ParameterIn.HEADER, name = HttpHeaders.ACCEPT_LANGUAGE),
                    @Parameter(in = ParameterIn.HEADER, name = HttpHeaders.IF_NONE_MATCH)},
            responses = {
                    @ApiResponse(responseCode = "200", description = "the answer: appId, language, name, tagline, description, "
                            + "logoUrl, industry, servicePhone, serviceEmail, version, releaseState, packageUrl, "
                            + "packageSha256, extConfigUrl and extConfigSha256 (a template instance's ext config for this "
                            + "version; both null for other mini programs), updatedAt. ETag, Content-Language, "
                            + "Vary: Accept-Language"),
                    @ApiResponse(responseCode = "304", description = "If-None-Match matched"),
                    @ApiResponse(responseCode = "404", description = "nothing of that id is live for this wallet and user")}))
    @Tag(name = "Wallet metadata")
    RouterFunction<ServerResponse> walletMiniProgram() {
        return RouterFunctions.route().GET(PATH, this::get).build();
    }

    private Mono<ServerResponse> get(ServerRequest request) {
        String userId = request.queryParam("userId").orElse(null);
        WalletCatalogService.requireUserId(userId);
        HttpHeaders headers = request.headers().asHttpHeaders();
        String ifNoneMatch = headers.getFirst(HttpHeaders.IF_NONE_MATCH);
        return CurrentPrincipal.get()
                .ofType(PlatformPrincipal.WalletClient.class)
                .flatMap(wallet -> catalog.get(wallet.walletId(), request.pathVariable("appId"),
                        request.queryParam("environment").orElse(null), userId,
                        headers.getFirst(HttpHeaders.ACCEPT_LANGUAGE)))
                .flatMap(answer -> respond(answer, ifNoneMatch));
    }

    private Mono<ServerResponse> respond(WalletAnswer answer, String ifNoneMatch) {
        boolean notModified = WalletCatalogController.matches(ifNoneMatch, answer.etag());
        ServerResponse.BodyBuilder builder = ServerResponse.status(notModified ? HttpStatus.NOT_MODIFIED : HttpStatus.OK)
                .eTag(answer.etag())
                .cacheControl(answers)
                .varyBy(HttpHeaders.ACCEPT_LANGUAGE)
                .header(HttpHeaders.CONTENT_LANGUAGE, answer.language());
        if (notModified) {
            return builder.build();
        }
        return builder.contentType(MediaType.APPLICATION_JSON).bodyValue(answer.body());
    }
}
