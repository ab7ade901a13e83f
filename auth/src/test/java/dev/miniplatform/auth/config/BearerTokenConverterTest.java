package dev.miniplatform.auth.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.http.HttpHeaders;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;
import org.springframework.security.oauth2.server.resource.web.server.authentication.ServerBearerTokenAuthenticationConverter;
import org.springframework.security.web.server.authentication.ServerAuthenticationConverter;
import org.springframework.web.server.ServerWebExchange;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The regex-free converter answers every header exactly as Spring Security's own converter does. */
class BearerTokenConverterTest {

    private final ServerAuthenticationConverter ours = new BearerTokenConverter();
    private final ServerAuthenticationConverter spring = new ServerBearerTokenAuthenticationConverter();

    @ParameterizedTest
    @ValueSource(strings = {
            "Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl",
            "bearer abc", "BEARER abc-._~+/", "Bearer abc==", "Bearer a=b", "Bearer ==", "Bearer ", "Bearer",
            "Bearerabc", "Bearer  abc", "Bearer abc def", "Bearer abc\t", "Bearer ab%63", "Bearer é",
            "Basic dXNlcjpwYXNz", "Token abc", "", "B"})
    void agreesWithSpringSecurity(String header) {
        assertThat(outcome(ours, header)).as(header).isEqualTo(outcome(spring, header));
    }

    @Test
    void noHeaderMeansAnonymous() {
        ServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/"));
        assertThat(ours.convert(exchange).blockOptional()).isEmpty();
    }

    /** "token:<value>", "anonymous" or "malformed". */
    private static String outcome(ServerAuthenticationConverter converter, String header) {
        ServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/")
                .header(HttpHeaders.AUTHORIZATION, header));
        try {
            Optional<?> result = converter.convert(exchange).blockOptional();
            return result.map(token -> "token:" + ((BearerTokenAuthenticationToken) token).getToken()).orElse("anonymous");
        } catch (OAuth2AuthenticationException e) {
            return "malformed";
        }
    }
}
