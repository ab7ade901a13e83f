package dev.miniplatform.auth.config;

import org.junit.jupiter.api.Test;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.server.authorization.AuthorizationContext;
import reactor.core.publisher.Mono;

import java.net.InetSocketAddress;

import static org.assertj.core.api.Assertions.assertThat;

class OperatorAccessTest {

    private static final int API_PORT = 8080;
    private static final int MANAGEMENT_PORT = 9090;

    @Test
    void onTheApiPortOnlyTheOperatorRoleGetsIn() {
        OperatorAccess access = new OperatorAccess(MANAGEMENT_PORT);

        assertThat(granted(access, API_PORT, token("ROLE_platform-operator"))).isTrue();
        assertThat(granted(access, API_PORT, token("ROLE_platform-admin", "SCOPE_openid"))).isFalse();
        assertThat(granted(access, API_PORT, Mono.empty())).isFalse();
    }

    @Test
    void theSeparateManagementPortIsOpenToItsNetwork() {
        assertThat(granted(new OperatorAccess(MANAGEMENT_PORT), MANAGEMENT_PORT, Mono.empty())).isTrue();
    }

    @Test
    void withoutAManagementPortNoPortIsTrusted() {
        OperatorAccess access = new OperatorAccess(-1);

        assertThat(granted(access, API_PORT, Mono.empty())).isFalse();
        assertThat(granted(access, MANAGEMENT_PORT, Mono.empty())).isFalse();
    }

    private static Mono<Authentication> token(String... authorities) {
        TestingAuthenticationToken token = new TestingAuthenticationToken("someone", "n/a", authorities);
        return Mono.just(token);
    }

    private static boolean granted(OperatorAccess access, int localPort, Mono<Authentication> authentication) {
        MockServerHttpRequest request = MockServerHttpRequest.get("/actuator/prometheus")
                .localAddress(new InetSocketAddress("127.0.0.1", localPort))
                .build();
        AuthorizationContext context = new AuthorizationContext(MockServerWebExchange.from(request));
        return access.authorize(authentication, context)
                .map(AuthorizationResult::isGranted)
                .blockOptional()
                .orElse(false);
    }
}
