package dev.miniplatform.api.console;

import dev.miniplatform.auth.config.KeycloakProperties;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.config.ResourceHandlerRegistry;
import org.springframework.web.reactive.config.WebFluxConfigurer;
import org.springframework.web.reactive.function.server.RequestPredicate;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

import static org.springframework.web.reactive.function.server.RequestPredicates.GET;
import static org.springframework.web.reactive.function.server.RouterFunctions.route;

/**
 * Serves the single-page console built from {@code src/main/console} into {@code static/console/}. Every console
 * path without a file extension gets {@code index.html}, so deep links survive a reload; hashed assets are cached
 * for a year. {@code config.json} tells the page where Keycloak is, so one build runs against any deployment.
 * <p>
 * The invitation mail links to {@code /console/invitations#token=…}: the token stays in the fragment, which the
 * browser never sends. Links from older mails with the token in the path are redirected to the fragment form.
 */
@Configuration(proxyBeanMethods = false)
class ConsoleRoutes implements WebFluxConfigurer {

    private static final String ASSETS = "/console/assets/";

    @Override
    public void addResourceHandlers(ResourceHandlerRegistry registry) {
        registry.addResourceHandler(ASSETS + "**")
                .addResourceLocations("classpath:/static" + ASSETS)
                .setCacheControl(CacheControl.maxAge(Duration.ofDays(365)).cachePublic().immutable());
    }

    @Bean
    RouterFunction<ServerResponse> consoleRouter(KeycloakProperties keycloak,
                                                 @Value("${platform.console.client-id:platform-console}") String clientId) {
        ConsolePage page = new ConsolePage(readIndex(), keycloak.url(), keycloak.realm(), clientId);
        // a page of the app has no file extension; files (assets, favicon) are served as they are, or 404
        RequestPredicate aPage = request -> !request.path().startsWith(ASSETS)
                && !request.path().substring(request.path().lastIndexOf('/') + 1).contains(".");
        return route()
                .GET("/console", request -> ServerResponse.status(HttpStatus.MOVED_PERMANENTLY)
                        .location(URI.create("/console/"))
                        .build())
                .GET("/console/config.json", page::config)
                .GET("/console/invitations/{token}", ConsoleRoutes::toFragment)
                .route(GET("/console/**").and(aPage), page::index)
                .build();
    }

    /** Read once at start-up, off the event loop; null when the console was not built (-Dconsole.skip). */
    private static byte[] readIndex() {
        ClassPathResource index = new ClassPathResource("static/console/index.html");
        if (!index.exists()) {
            return null;
        }
        try (InputStream in = index.getInputStream()) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Links from mails sent before the token moved to the fragment. */
    private static Mono<ServerResponse> toFragment(ServerRequest request) {
        String token = request.pathVariable("token").replaceAll("[^A-Za-z0-9._-]", "");
        return ServerResponse.status(HttpStatus.FOUND)
                .location(URI.create("/console/invitations#token=" + token))
                .cacheControl(CacheControl.noStore())
                .header("Referrer-Policy", "no-referrer")
                .build();
    }

    private record ConsolePage(byte[] index, String keycloakUrl, String realm, String clientId) {

        Mono<ServerResponse> index(ServerRequest request) {
            if (index == null) {
                return ServerResponse.status(HttpStatus.SERVICE_UNAVAILABLE)
                        .contentType(MediaType.TEXT_PLAIN)
                        .bodyValue("The console was not built into this jar (built with -Dconsole.skip).");
            }
            return ServerResponse.ok()
                    .contentType(MediaType.TEXT_HTML)
                    .cacheControl(CacheControl.noCache())
                    .header("Referrer-Policy", "no-referrer")
                    .header("Content-Security-Policy", contentSecurityPolicy())
                    .bodyValue(index);
        }

        Mono<ServerResponse> config(ServerRequest request) {
            return ServerResponse.ok()
                    .contentType(MediaType.APPLICATION_JSON)
                    .cacheControl(CacheControl.noCache())
                    .bodyValue(Map.of("keycloakUrl", keycloakUrl, "realm", realm, "clientId", clientId));
        }

        /** Scripts only from here; the component library injects its styles; tokens go to Keycloak only. */
        private String contentSecurityPolicy() {
            return "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
                    + "connect-src 'self' " + keycloakUrl + "; frame-src " + keycloakUrl + "; "
                    + "form-action 'self' " + keycloakUrl + "; frame-ancestors 'none'; base-uri 'self'; object-src 'none'";
        }
    }
}
