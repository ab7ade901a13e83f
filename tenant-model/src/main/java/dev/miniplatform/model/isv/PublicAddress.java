package dev.miniplatform.model.isv;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;

/**
 * The addresses the platform may connect to on an ISV's behalf: public unicast only. Refused are loopback, private
 * (RFC 1918, CGNAT 100.64/10, ULA fc00::/7), link-local (169.254/16, fe80::/10), multicast, broadcast, unspecified,
 * reserved, benchmarking and documentation ranges, after the IANA special-purpose address registries. IPv6 is
 * allowed only inside global unicast 2000::/3, less its special blocks (Teredo and the other IETF protocol
 * assignments, 6to4, documentation). An IPv6 address that carries an IPv4 one for translation (IPv4-mapped, NAT64
 * 64:ff9b::/96) is judged by the IPv4 address it carries; the deprecated forms (IPv4-compatible ::/96, 6to4
 * 2002::/16) are refused whole.
 */
public final class PublicAddress {

    private static final List<Block> NOT_PUBLIC_V4 = blocks(
            "0.0.0.0/8",          // "this network", unspecified
            "10.0.0.0/8",         // RFC 1918
            "100.64.0.0/10",      // CGNAT shared address space
            "127.0.0.0/8",        // loopback
            "169.254.0.0/16",     // link-local, cloud metadata services
            "172.16.0.0/12",      // RFC 1918
            "192.0.0.0/24",       // IETF protocol assignments
            "192.0.2.0/24",       // TEST-NET-1
            "192.88.99.0/24",     // 6to4 relay anycast (deprecated)
            "192.168.0.0/16",     // RFC 1918
            "198.18.0.0/15",      // benchmarking
            "198.51.100.0/24",    // TEST-NET-2
            "203.0.113.0/24",     // TEST-NET-3
            "224.0.0.0/4",        // multicast
            "240.0.0.0/4");       // reserved, and 255.255.255.255 broadcast

    private static final Block GLOBAL_UNICAST_V6 = Block.of("2000::/3");

    private static final List<Block> NOT_PUBLIC_V6 = blocks(
            "2001::/23",          // IETF protocol assignments: Teredo, benchmarking, ORCHID …
            "2001:db8::/32",      // documentation
            "2002::/16",          // 6to4 (deprecated), carries an IPv4 address
            "3fff::/20");         // documentation (RFC 9637)

    private static final Block NAT64 = Block.of("64:ff9b::/96");

    private PublicAddress() {
    }

    public static boolean isPublic(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (bytes.length == 4) {
            return isPublicIpv4(bytes);
        }
        if (isIpv4Mapped(bytes) || NAT64.contains(bytes)) {
            return isPublicIpv4(Arrays.copyOfRange(bytes, 12, 16));
        }
        return GLOBAL_UNICAST_V6.contains(bytes) && NOT_PUBLIC_V6.stream().noneMatch(block -> block.contains(bytes));
    }

    private static boolean isPublicIpv4(byte[] bytes) {
        return NOT_PUBLIC_V4.stream().noneMatch(block -> block.contains(bytes));
    }

    /** The JDK turns ::ffff:a.b.c.d into an IPv4 address; an {@code Inet6Address} made from raw bytes may not be. */
    private static boolean isIpv4Mapped(byte[] bytes) {
        for (int i = 0; i < 10; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff;
    }

    private static List<Block> blocks(String... cidrs) {
        return Arrays.stream(cidrs).map(Block::of).toList();
    }

    private record Block(byte[] prefix, int bits) {

        static Block of(String cidr) {
            int slash = cidr.indexOf('/');
            String address = cidr.substring(0, slash);
            InetAddress prefix = (address.contains(":") ? IpLiteral.ipv6(address) : IpLiteral.ipv4(address)).orElseThrow();
            return new Block(prefix.getAddress(), Integer.parseInt(cidr.substring(slash + 1)));
        }

        boolean contains(byte[] address) {
            if (address.length != prefix.length) {
                return false;
            }
            int whole = bits / 8;
            for (int i = 0; i < whole; i++) {
                if (address[i] != prefix[i]) {
                    return false;
                }
            }
            int rest = bits % 8;
            int mask = (0xff << (8 - rest)) & 0xff;
            return rest == 0 || (address[whole] & mask) == (prefix[whole] & mask);
        }
    }
}
