package dev.miniplatform.api.console;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.util.HtmlUtils;
import reactor.core.publisher.Mono;

import static org.springframework.web.reactive.function.server.RouterFunctions.route;

/**
 * The page an invitation email links to. The full console (login with PKCE, accept button) is not built yet;
 * until then this page tells the invitee exactly how to accept, instead of the link leading nowhere.
 */
@Configuration(proxyBeanMethods = false)
class InvitationPage {

    @Bean
    RouterFunction<ServerResponse> invitationPageRoute() {
        return route().GET("/console/invitations/{token}", InvitationPage::page).build();
    }

    private static Mono<ServerResponse> page(ServerRequest request) {
        String token = HtmlUtils.htmlEscape(request.pathVariable("token"));
        String html = """
                <!doctype html>
                <html lang="en"><head><meta charset="utf-8"><title>Your invitation</title></head>
                <body style="font-family: sans-serif; max-width: 40em; margin: 3em auto">
                <h1>You are invited to a workspace</h1>
                <p>Log in to the platform's Keycloak realm with the account of the address this invitation was sent
                to, then accept it (valid three days, once):</p>
                <pre>POST /api/v1/invitations/%s/accept
                Authorization: Bearer &lt;your access token&gt;</pre>
                </body></html>
                """.formatted(token);
        return ServerResponse.ok().contentType(MediaType.TEXT_HTML).bodyValue(html);
    }
}
