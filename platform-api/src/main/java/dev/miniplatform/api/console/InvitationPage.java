package dev.miniplatform.api.console;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

import java.net.URI;

import static org.springframework.web.reactive.function.server.RouterFunctions.route;

/**
 * The page an invitation email links to: {@code /console/invitations#token=…}. The token is in the fragment, which
 * the browser keeps to itself (never sent to a server, never in a Referer), and the page reads it with a few lines of
 * script. The full console (login with PKCE, accept button) is not built yet; until then the page shows the invitee
 * exactly how to accept. Old links with the token in the path are redirected to the fragment form.
 */
@Configuration(proxyBeanMethods = false)
class InvitationPage {

    private static final String HTML = """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>Your invitation</title></head>
            <body style="font-family: sans-serif; max-width: 40em; margin: 3em auto">
            <h1>You are invited to a workspace</h1>
            <p>Log in to the platform's Keycloak realm with the account of the address this invitation was sent
            to (the address must be verified), then accept it (valid three days, once):</p>
            <pre>POST /api/v1/invitations/accept
            Authorization: Bearer &lt;your access token&gt;
            Content-Type: application/json

            {"token": "<span id="token">(the token from your invitation link)</span>"}</pre>
            <script>
              // textContent: the fragment is whatever the link said and is never parsed as markup
              const token = new URLSearchParams(location.hash.slice(1)).get('token');
              if (token) { document.getElementById('token').textContent = token; }
            </script>
            </body></html>
            """;

    @Bean
    RouterFunction<ServerResponse> invitationPageRoute() {
        return route()
                .GET("/console/invitations", InvitationPage::page)
                .GET("/console/invitations/{token}", InvitationPage::toFragment)
                .build();
    }

    private static Mono<ServerResponse> page(ServerRequest request) {
        return ServerResponse.ok()
                .contentType(MediaType.TEXT_HTML)
                .cacheControl(CacheControl.noStore())
                .header("Referrer-Policy", "no-referrer")
                .header("Content-Security-Policy", "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'")
                .bodyValue(HTML);
    }

    /** Links from mails sent before the token moved to the fragment. */
    private static Mono<ServerResponse> toFragment(ServerRequest request) {
        String token = request.pathVariable("token").replaceAll("[^A-Za-z0-9._-]", "");
        return ServerResponse.status(302)
                .location(URI.create("/console/invitations#token=" + token))
                .cacheControl(CacheControl.noStore())
                .header("Referrer-Policy", "no-referrer")
                .build();
    }
}
