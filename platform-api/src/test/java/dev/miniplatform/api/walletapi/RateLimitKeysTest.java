package dev.miniplatform.api.walletapi;

import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Rate-limit keys: one per owner, never nameable by another caller, cluster-safe. */
class RateLimitKeysTest {

    @Test
    void eachKindOfCallerHasItsOwnNamespace() {
        UUID id = UUID.fromString("7c9e6679-7425-40de-944b-e07fc1f90ae7");
        assertThat(RateLimitFilter.walletKey(id)).isEqualTo("mpp:v1:rl:{wallet:" + id + "}");
        assertThat(RateLimitFilter.userKey(id.toString())).isEqualTo("mpp:v1:rl:{user:" + id + "}");
        assertThat(RateLimitFilter.isvKey("isv-" + id)).isEqualTo("mpp:v1:rl:{isv:isv-" + id + "}");
        // the ISV's two buckets share one hash tag: one script call in a Redis Cluster takes from both
        assertThat(RateLimitFilter.isvMerchantKey("isv-" + id, id.toString()))
                .isEqualTo("mpp:v1:rl:{isv:isv-" + id + "}:merchant:" + id);
    }

    @Test
    void anIdWithKeySyntaxIsEncodedAndCannotNameAnotherKey() {
        assertThat(RateLimitFilter.userKey("x}:{wallet:1")).isEqualTo("mpp:v1:rl:{user:~eH06e3dhbGxldDox}");
        assertThat(RateLimitFilter.userKey("~eH06e3dhbGxldDox")).isNotEqualTo(RateLimitFilter.userKey("x}:{wallet:1"));
        assertThat(RateLimitFilter.isvMerchantKey("isv-a", "b:merchant:c"))
                .isNotEqualTo(RateLimitFilter.isvMerchantKey("isv-a:merchant:b", "c"))
                .doesNotContain("{b").endsWith(":merchant:~YjptZXJjaGFudDpj");
        assertThat(RateLimitFilter.userKey("")).isEqualTo("mpp:v1:rl:{user:~}");
        assertThat(RateLimitFilter.userKey("a".repeat(129))).startsWith("mpp:v1:rl:{user:~");
    }

    @Test
    void anAddressIsCountedAsTheClientHoldsIt() {
        assertThat(RateLimitFilter.addressKey(new InetSocketAddress("203.0.113.9", 4711)))
                .isEqualTo("mpp:v1:rl:{addr:203.0.113.9}");
        // every address of one IPv6 /64 is one client
        assertThat(RateLimitFilter.addressKey(new InetSocketAddress("2001:db8:0:7:1:2:3:4", 1)))
                .isEqualTo(RateLimitFilter.addressKey(new InetSocketAddress("2001:db8:0:7:ffff:ffff:ffff:ffff", 1)))
                .isEqualTo("mpp:v1:rl:{addr:2001:db8:0:7::/64}")
                .isNotEqualTo(RateLimitFilter.addressKey(new InetSocketAddress("2001:db8:0:8::1", 1)));
        // a forwarded address arrives unresolved; an IPv4 client on a dual-stack socket is that IPv4 client
        assertThat(RateLimitFilter.addressKey(InetSocketAddress.createUnresolved("::ffff:203.0.113.9", 1)))
                .isEqualTo("mpp:v1:rl:{addr:203.0.113.9}");
        assertThat(RateLimitFilter.addressKey(InetSocketAddress.createUnresolved("_hidden}", 1)))
                .isEqualTo("mpp:v1:rl:{addr:~X2hpZGRlbn0}");
        assertThat(RateLimitFilter.addressKey(null)).isEqualTo("mpp:v1:rl:{addr:unknown}");
    }
}
