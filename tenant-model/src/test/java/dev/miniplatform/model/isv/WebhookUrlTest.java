package dev.miniplatform.model.isv;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;

import static org.assertj.core.api.Assertions.assertThat;

class WebhookUrlTest {

    /** The addresses of issue 16, and every other spelling of an address inside the network. */
    @ParameterizedTest
    @ValueSource(strings = {
            "https://169.254.169.254/latest/meta-data/", "https://10.0.0.1/", "https://127.0.0.1:8180/admin",
            "https://[::1]/", "https://192.168.1.1/", "https://0x7f000001/", "https://2130706433/", "https://localhost/",
            "https://metadata.google.internal/",
            // other spellings of loopback and metadata
            "https://127.1/", "https://0177.0.0.1/", "https://0x7f.0.0.1/", "https://017700000001/", "https://127.0.0.1./",
            "https://0/", "https://0.0.0.0/", "https://0xa9fea9fe/", "https://2852039166/latest/meta-data/",
            "https://0251.0376.0251.0376/", "https://[::ffff:127.0.0.1]/", "https://[::ffff:7f00:1]/",
            "https://[::ffff:169.254.169.254]/", "https://[::127.0.0.1]/", "https://[0:0:0:0:0:0:0:1]/", "https://[::]/",
            "https://[64:ff9b::7f00:1]/", "https://[64:ff9b::a9fe:a9fe]/", "https://[2002:7f00:1::]/",
            "https://[2002:a00:1::]/", "https://[fe80::1%25eth0]/", "https://[fe80::1]/", "https://[fd00::1]/",
            "https://[fc00::1]/", "https://[ff02::1]/",
            // the private ranges
            "https://172.16.0.1/", "https://100.64.0.1/", "https://192.0.2.1/", "https://224.0.0.1/",
            "https://255.255.255.255/", "https://240.0.0.1/",
            // names that only resolve inside a network
            "https://localhost./", "https://LOCALHOST/", "https://api.localhost/", "https://metadata.google.internal./",
            "https://db.internal/", "https://printer.local/", "https://nas.home.arpa/", "https://jenkins/",
            "https://router.lan/", "https://intranet.corp/",
            // user info, non-https, privileged ports, invalid hosts
            "https://isv.example@127.0.0.1/", "https://user:pw@isv.example/hooks", "https://isv.example:22/hooks",
            "https://isv.example:80/hooks", "https://isv.example:0/hooks", "https://isv.example:99999/hooks",
            "http://isv.example/hooks", "http://127.0.0.1:9000/hooks", "ftp://isv.example/hooks",
            "https://isv.example/hooks#fragment", "https://1.2.3.4.5/", "https://256.0.0.1/", "https://%31%32%37.0.0.1/",
            "/relative", "not a url", ""})
    void refusesEveryAddressInsideTheNetworkInEverySpelling(String url) {
        assertThat(WebhookUrl.problem(url, false)).as(url).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://hooks.isv.example/webhooks", "https://hooks.isv.example:443/w?x=1",
            "https://hooks.isv.example:8443/w", "https://isv.example./hooks", "https://8.8.8.8/hooks",
            "https://[2606:4700:4700::1111]/hooks", "https://hooks.rebinding.test:9000/hooks"})
    void acceptsPublicHttpsUrls(String url) {
        assertThat(WebhookUrl.problem(url, false)).as(url).isEmpty();
        assertThat(WebhookUrl.problem(url, true)).as(url).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1:9000/hooks", "http://127.0.0.2/hooks", "http://[::1]:9000/hooks"})
    void loopbackHttpOnlyWhenTheLocalDevelopmentExceptionIsOn(String url) {
        assertThat(WebhookUrl.problem(url, false)).isPresent();
        assertThat(WebhookUrl.problem(url, true)).isEmpty();
        assertThat(WebhookUrl.isLoopbackHttp(URI.create(url))).isTrue();
    }

    /** The exception names http to a plainly written loopback literal, nothing more. */
    @ParameterizedTest
    @ValueSource(strings = {"https://127.0.0.1:8180/admin", "https://[::1]/", "http://2130706433/", "http://127.1/",
            "http://0x7f000001/", "http://localhost:9000/hooks", "http://[::ffff:127.0.0.1]/", "http://10.0.0.1/hooks",
            "http://user@127.0.0.1/hooks", "http://169.254.169.254/"})
    void theExceptionAdmitsNothingElse(String url) {
        assertThat(WebhookUrl.problem(url, true)).as(url).isPresent();
    }

    @Test
    void namesTheRuleThatWasBroken() {
        assertThat(WebhookUrl.problem("https://10.0.0.1/", false)).contains(WebhookUrl.NOT_PUBLIC);
        assertThat(WebhookUrl.problem("https://0x08080808/", false)).contains("must write an IPv4 address as four decimal numbers");
        assertThat(WebhookUrl.problem("https://isv.example:22/", false)).contains("must use port 443 or a port from 1024 to 65535");
        assertThat(WebhookUrl.problem("x".repeat(501), false)).contains("must be at most 500 characters");
    }
}
