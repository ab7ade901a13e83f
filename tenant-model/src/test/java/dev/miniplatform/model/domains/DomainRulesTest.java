package dev.miniplatform.model.domains;

import dev.miniplatform.model.validation.FieldError;
import dev.miniplatform.model.validation.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import static dev.miniplatform.model.validation.Rejected.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every rule of {@link ServerDomain} and {@link ServerDomains}, with good and bad examples. */
class DomainRulesTest {

    @ParameterizedTest(name = "{0} in {1} is kept as {2}")
    @CsvSource({
            "https://api.example.com,        REQUEST,  https://api.example.com",
            "HTTPS://API.Example.COM,        REQUEST,  https://api.example.com",
            "https://api.example.com.,       UPLOAD,   https://api.example.com",
            "https://api.example.com:443,    DOWNLOAD, https://api.example.com",
            "https://api.example.com/,       WEB_VIEW, https://api.example.com",
            "https://*.example.com,          REQUEST,  https://*.example.com",
            "https://*.example.co.uk,        REQUEST,  https://*.example.co.uk",
            "https://example.co.uk,          REQUEST,  https://example.co.uk",
            "https://a-1.b2.example.com,     REQUEST,  https://a-1.b2.example.com",
            "wss://ws.example.com,           SOCKET,   wss://ws.example.com",
            "WSS://ws.example.com:443,       SOCKET,   wss://ws.example.com",
            "https://bücher.example,         REQUEST,  https://xn--bcher-kva.example",
            "https://BÜCHER.example,         REQUEST,  https://xn--bcher-kva.example",
            "https://xn--bcher-kva.example,  REQUEST,  https://xn--bcher-kva.example",
            "https://例子。测试.com,            REQUEST,  https://xn--fsqu00a.xn--0zwm56d.com",
            "https://123.example.com,        REQUEST,  https://123.example.com",
    })
    void goodEntriesAreNormalized(String entry, DomainList list, String normalized) {
        assertThat(ServerDomain.normalize("request[0]", entry, list)).isEqualTo(normalized);
    }

    @ParameterizedTest(name = "{0} in {1} is refused: {2}")
    @CsvSource({
            "http://a.com,                       REQUEST,  scheme",
            "ftp://a.com,                        REQUEST,  scheme",
            "a.com,                              REQUEST,  scheme",
            "wss://ws.example.com,               REQUEST,  scheme",
            "https://ws.example.com,             SOCKET,   scheme",
            "ws://ws.example.com,                SOCKET,   scheme",
            "https://com,                        REQUEST,  public-suffix",
            "https://co.uk,                      REQUEST,  public-suffix",
            "https://*.com,                      REQUEST,  public-suffix",
            "https://*.co.uk,                    REQUEST,  public-suffix",
            "https://github.io,                  REQUEST,  public-suffix",
            "https://1.2.3.4,                    REQUEST,  ip-literal",
            "https://127.1,                      REQUEST,  ip-literal",
            "https://2130706433,                 REQUEST,  ip-literal",
            "https://0x7f.0.0.1,                 REQUEST,  ip-literal",
            "https://[::1],                      REQUEST,  ip-literal",
            "https://[2001:db8::1]:443,          REQUEST,  ip-literal",
            "wss://10.0.0.1,                     SOCKET,   ip-literal",
            "https://a.com:8443,                 REQUEST,  port",
            "https://a.com:80,                   REQUEST,  port",
            "https://a.com:,                     REQUEST,  port",
            "wss://a.com:8080,                   SOCKET,   port",
            "https://a.com/path,                 REQUEST,  path",
            "https://a.com/path/,                REQUEST,  path",
            "https://a.com?x=1,                  REQUEST,  path",
            "https://a.com#top,                  REQUEST,  path",
            "https://a.com\\evil.com,            REQUEST,  path",
            "https://user@a.com,                 REQUEST,  userinfo",
            "https://user:pw@a.com,              REQUEST,  userinfo",
            "https://a.*.example.com,            REQUEST,  wildcard",
            "https://*example.com,               REQUEST,  wildcard",
            "https://*.*.example.com,            REQUEST,  wildcard",
            "https://api*.example.com,           REQUEST,  wildcard",
            "https://*,                          REQUEST,  wildcard",
            "https://localhost,                  REQUEST,  format",
            "https://-a.example.com,             REQUEST,  format",
            "https://a-.example.com,             REQUEST,  format",
            "https://a..example.com,             REQUEST,  format",
            "https://a_b.example.com,            REQUEST,  format",
            "https://a%2e.example.com,           REQUEST,  format",
            "https://a b.example.com,            REQUEST,  format",
            "https://,                           REQUEST,  format",
            "' https://a.com',                   REQUEST,  scheme",
    })
    void badEntriesAreRefusedWithTheirRule(String entry, DomainList list, String code) {
        assertRejected(() -> ServerDomain.normalize("request[3]", entry, list), "request[3]", code);
    }

    @Test
    void lengthLimitsAreOnTheHostAndEachLabel() {
        String label63 = "a".repeat(63);
        assertThat(ServerDomain.normalize("f", "https://" + label63 + ".example.com", DomainList.REQUEST))
                .endsWith(label63 + ".example.com");
        assertRejected(() -> ServerDomain.normalize("f", "https://" + "a".repeat(64) + ".example.com", DomainList.REQUEST),
                "f", "length");
        // 4 × 63 + 3 dots = 255 > 253, below the entry's own limit of 300
        String host255 = String.join(".", label63, label63, label63, "b".repeat(59) + ".com");
        assertThat(host255).hasSize(255);
        assertRejected(() -> ServerDomain.normalize("f", "https://" + host255, DomainList.REQUEST), "f", "length");
        String host253 = String.join(".", label63, label63, label63, "b".repeat(57) + ".com");
        assertThat(ServerDomain.normalize("f", "https://" + host253, DomainList.REQUEST)).hasSize(8 + 253);
        assertRejected(() -> ServerDomain.normalize("f", "https://" + "a".repeat(400) + ".com", DomainList.REQUEST),
                "f", "length");
        assertRejected(() -> ServerDomain.normalize("f", null, DomainList.REQUEST), "f", "required");
        assertRejected(() -> ServerDomain.normalize("f", "  ", DomainList.REQUEST), "f", "required");
    }

    @Test
    void everyFailingEntryOfEveryListIsNamedAtOnce() {
        Map<DomainList, List<String>> raw = lists();
        raw.put(DomainList.REQUEST, List.of("https://api.example.com", "https://com", "https://API.example.com.",
                "https://[::1]"));
        raw.put(DomainList.SOCKET, List.of("https://ws.example.com"));
        raw.put(DomainList.WEB_VIEW, null);
        raw.put(DomainList.UPLOAD, Collections.nCopies(DomainList.MAX_ENTRIES + 1, "https://a.example.com"));

        assertThatThrownBy(() -> ServerDomains.parse(raw)).isInstanceOfSatisfying(InvalidInputException.class,
                e -> assertThat(e.errors()).extracting(FieldError::field, FieldError::code).containsExactly(
                        org.assertj.core.groups.Tuple.tuple("request[1]", "public-suffix"),
                        org.assertj.core.groups.Tuple.tuple("request[2]", "duplicate"),
                        org.assertj.core.groups.Tuple.tuple("request[3]", "ip-literal"),
                        org.assertj.core.groups.Tuple.tuple("upload", "size"),
                        org.assertj.core.groups.Tuple.tuple("socket[0]", "scheme"),
                        org.assertj.core.groups.Tuple.tuple("webView", "required")));
    }

    @Test
    void duplicatesAreFoundAfterNormalizationWithinOneListOnly() {
        Map<DomainList, List<String>> raw = lists();
        raw.put(DomainList.REQUEST, List.of("https://bücher.example", "https://xn--bcher-kva.example:443/"));
        raw.put(DomainList.DOWNLOAD, List.of("https://bücher.example"));
        assertThatThrownBy(() -> ServerDomains.parse(raw)).isInstanceOfSatisfying(InvalidInputException.class,
                e -> assertThat(e.errors()).singleElement().satisfies(error -> {
                    assertThat(error.field()).isEqualTo("request[1]");
                    assertThat(error.code()).isEqualTo("duplicate");
                }));

        raw.put(DomainList.REQUEST, List.of("https://bücher.example", "https://*.bücher.example"));
        ServerDomains parsed = ServerDomains.parse(raw);
        assertThat(parsed.get(DomainList.REQUEST))
                .containsExactly("https://xn--bcher-kva.example", "https://*.xn--bcher-kva.example");
        assertThat(parsed.get(DomainList.DOWNLOAD)).containsExactly("https://xn--bcher-kva.example");
        assertThat(parsed.byField()).containsOnlyKeys("request", "upload", "download", "socket", "webView");
    }

    @Test
    void emptyListsAreAllowedAndTheMaximumIsAccepted() {
        Map<DomainList, List<String>> raw = lists();
        List<String> twenty = java.util.stream.IntStream.range(0, DomainList.MAX_ENTRIES)
                .mapToObj(i -> "https://api" + i + ".example.com").toList();
        raw.put(DomainList.WEB_VIEW, twenty);
        assertThat(ServerDomains.parse(raw).get(DomainList.WEB_VIEW)).hasSize(DomainList.MAX_ENTRIES);
        assertThat(ServerDomains.parse(lists()).get(DomainList.REQUEST)).isEmpty();
    }

    @Test
    void hostileInputIsRefusedInLinearTime() {
        // 10,000 entries: the list is refused by its size, its entries are never read
        Map<DomainList, List<String>> raw = lists();
        raw.put(DomainList.REQUEST, Collections.nCopies(10_000, "https://" + "a".repeat(250) + ".com"));
        // 1 MB in one entry, and twenty entries of a megabyte each of Unicode the IDN conversion would chew on
        String megabyte = "https://" + "ü".repeat(1 << 20) + ".com";
        raw.put(DomainList.UPLOAD, Collections.nCopies(DomainList.MAX_ENTRIES, megabyte));
        raw.put(DomainList.WEB_VIEW, List.of("https://" + "a.".repeat(1 << 19) + "com"));
        long started = System.nanoTime();
        assertThatThrownBy(() -> ServerDomains.parse(raw)).isInstanceOfSatisfying(InvalidInputException.class,
                e -> assertThat(e.errors()).hasSize(1 + DomainList.MAX_ENTRIES + 1)
                        .allSatisfy(error -> assertThat(error.code()).isIn("size", "length")));
        assertThat(System.nanoTime() - started).as("nanoseconds").isLessThan(200_000_000L);
    }

    private static Map<DomainList, List<String>> lists() {
        Map<DomainList, List<String>> raw = new EnumMap<>(DomainList.class);
        for (DomainList list : DomainList.values()) {
            raw.put(list, List.of());
        }
        return raw;
    }
}
