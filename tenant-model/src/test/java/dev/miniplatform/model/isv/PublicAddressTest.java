package dev.miniplatform.model.isv;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

import static org.assertj.core.api.Assertions.assertThat;

class PublicAddressTest {

    @ParameterizedTest
    @ValueSource(strings = {
            "0.0.0.0", "0.1.2.3",                                   // unspecified, "this network"
            "127.0.0.1", "127.255.255.254",                         // loopback
            "10.0.0.1", "172.16.0.1", "172.31.255.255", "192.168.1.1", // RFC 1918
            "100.64.0.1", "100.127.255.255",                        // CGNAT
            "169.254.169.254", "169.254.0.1",                       // link-local, cloud metadata
            "192.0.0.8", "192.0.2.1", "198.51.100.7", "203.0.113.9", // IETF assignments, documentation
            "192.88.99.1", "198.18.0.1", "198.19.255.255",          // 6to4 relay, benchmarking
            "224.0.0.1", "239.255.255.250",                         // multicast
            "240.0.0.1", "255.255.255.255",                         // reserved, broadcast
            "::", "::1",                                            // unspecified, loopback
            "::ffff:127.0.0.1", "::ffff:10.0.0.1", "::ffff:169.254.169.254", // IPv4-mapped
            "::127.0.0.1", "::10.0.0.1", "::8.8.8.8",               // IPv4-compatible (deprecated: all refused)
            "64:ff9b::7f00:1", "64:ff9b::a9fe:a9fe", "64:ff9b::a00:1", // NAT64 of loopback, metadata, 10/8
            "64:ff9b:1::808:808",                                   // local-use NAT64
            "2002:7f00:1::", "2002:a00:1::1", "2002:808:808::1",    // 6to4 (deprecated: all refused)
            "2001::1", "2001:0:4136:e378:8000:63bf:3fff:fdd2",      // Teredo
            "2001:2::1", "2001:20::1",                              // benchmarking, ORCHIDv2
            "2001:db8::1", "3fff::1",                               // documentation
            "fc00::1", "fd12:3456:789a::1",                         // unique local
            "fe80::1", "febf::1", "fec0::1",                        // link-local, site-local
            "ff02::1", "ff05::1:3",                                 // multicast
            "100::1", "5f00::1", "::2"})                            // discard-only, SRv6, reserved
    void refusesEveryAddressThatIsNotPublicUnicast(String literal) throws UnknownHostException {
        assertThat(PublicAddress.isPublic(literal(literal))).as(literal).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"8.8.8.8", "1.1.1.1", "93.184.216.34", "100.63.255.255", "100.128.0.0", "172.15.255.255",
            "172.32.0.1", "169.253.255.255", "192.167.255.255", "223.255.255.255", "11.0.0.1", "126.255.255.255",
            "2606:4700:4700::1111", "2a00:1450:4001:82b::200e", "2001:4860:4860::8888", "2620:4f:8000::1",
            "64:ff9b::808:808", "::ffff:8.8.8.8"})
    void allowsPublicUnicast(String literal) throws UnknownHostException {
        assertThat(PublicAddress.isPublic(literal(literal))).as(literal).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "10.0.0.1", "169.254.169.254"})
    void anIpv4MappedAddressMadeFromRawBytesIsJudgedByItsIpv4Address(String ipv4) throws UnknownHostException {
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        System.arraycopy(InetAddress.getByName(ipv4).getAddress(), 0, mapped, 12, 4);
        // Inet6Address.getByAddress keeps the 16 bytes (InetAddress.getByAddress would hand back an IPv4 address)
        assertThat(PublicAddress.isPublic(Inet6Address.getByAddress(null, mapped, -1))).isFalse();
    }

    @ParameterizedTest
    @CsvSource({
            "127.0.0.1, 127.0.0.1", "127.1, 127.0.0.1", "127.0.1, 127.0.0.1", "2130706433, 127.0.0.1",
            "0x7f000001, 127.0.0.1", "0X7F000001, 127.0.0.1", "0x7f.1, 127.0.0.1", "0177.0.0.1, 127.0.0.1",
            "0177.1, 127.0.0.1", "017700000001, 127.0.0.1", "0x7f.0.0.0x1, 127.0.0.1", "0, 0.0.0.0", "0x, 0.0.0.0",
            "10.1, 10.0.0.1", "167772161, 10.0.0.1", "0xa9.0xfe.0xa9.0xfe, 169.254.169.254", "2852039166, 169.254.169.254",
            "0251.0376.0251.0376, 169.254.169.254", "192.168.257, 192.168.1.1", "3232235777, 192.168.1.1"})
    void readsEverySpellingOfAnIpv4Address(String spelling, String address) {
        assertThat(IpLiteral.ipv4(spelling)).get().extracting(InetAddress::getHostAddress).isEqualTo(address);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.2.3.4.5", "256.1.1.1", "1.2.3.256", "1.16777216", "4294967296", "08.1.1.1", "0x1g",
            "1..1", "", "१२७.0.0.1", "0x100000000", "1234567890123"})
    void refusesWhatIsNoIpv4Address(String text) {
        assertThat(IpLiteral.ipv4(text)).isEmpty();
    }

    /** The JDK reads a literal without a lookup: IPv4 as is, IPv6 in brackets. */
    private static InetAddress literal(String text) throws UnknownHostException {
        return InetAddress.getByName(text.contains(":") ? "[" + text + "]" : text);
    }
}
