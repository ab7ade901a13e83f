package dev.miniplatform.model.isv;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class RedirectUriTest {

    @ParameterizedTest
    @ValueSource(strings = {"https://isv.example/callback", "https://isv.example:8443/cb?x=1", "http://127.0.0.1:9000/cb",
            "http://[::1]:9000/cb", "http://127.0.0.2/cb"})
    void acceptsHttpsAndLoopbackHttp(String uri) {
        assertThat(RedirectUri.problem(uri, true)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://isv.example/cb", "http://localhost/cb", "http://10.0.0.1/cb", "ftp://isv.example/cb",
            "https://isv.example/cb#fragment", "https://user:pw@isv.example/cb", "https://*.isv.example/cb", "/relative",
            "not a url", "", "javascript:alert(1)"})
    void refusesEverythingElse(String uri) {
        assertThat(RedirectUri.problem(uri, true)).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1:9000/hooks", "http://[::1]/hooks"})
    void loopbackHttpOnlyWhenAllowed(String uri) {
        assertThat(RedirectUri.problem(uri, false)).isPresent();
        assertThat(RedirectUri.problem(uri, true)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://isv.example/hooks"})
    void httpsIsAlwaysAllowed(String uri) {
        assertThat(RedirectUri.problem(uri, false)).isEmpty();
    }
}
