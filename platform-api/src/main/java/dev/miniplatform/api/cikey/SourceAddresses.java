package dev.miniplatform.api.cikey;

import dev.miniplatform.model.validation.Validation;
import io.netty.util.NetUtil;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The address blocks a CI key may be used from: IPv4 or IPv6 literals with an optional prefix length, in their
 * network form ({@code 203.0.113.0/24}, {@code 2001:db8::/32}; a bare address is a block of one). Host names are
 * refused, never resolved: the check compares the address the request came from, as the server saw it (or as
 * {@code server.forward-headers-strategy} took it from a trusted proxy), with these blocks.
 */
final class SourceAddresses {

    static final int MAX_BLOCKS = 20;
    private static final int MAX_TEXT = 64;

    private SourceAddresses() {
    }

    /** The blocks in canonical form, each failing entry named in {@code validation} as {@code field[i]}. */
    static List<String> parse(List<String> entries, String field, Validation validation) {
        if (entries == null) {
            return List.of();
        }
        if (entries.size() > MAX_BLOCKS) {
            validation.reject(field, "too-many", "at most %d address blocks".formatted(MAX_BLOCKS));
            return List.of();
        }
        Set<String> blocks = new LinkedHashSet<>();
        for (int i = 0; i < entries.size(); i++) {
            String entry = entries.get(i);
            String error = entry == null ? "give an address block, e.g. 203.0.113.0/24" : problemOf(entry.strip());
            if (error != null) {
                validation.reject("%s[%d]".formatted(field, i), "invalid", error);
            } else {
                blocks.add(canonical(entry.strip()));
            }
        }
        return List.copyOf(blocks);
    }

    /** Whether {@code address} lies in one of the blocks; no blocks: anywhere. */
    static boolean allows(List<String> blocks, InetAddress address) {
        if (blocks.isEmpty()) {
            return true;
        }
        if (address == null) {
            return false;
        }
        byte[] bytes = address.getAddress();
        for (String block : blocks) {
            Block parsed = block(block);
            if (parsed != null && parsed.contains(bytes)) {
                return true;
            }
        }
        return false;
    }

    private record Block(byte[] network, int prefix) {

        boolean contains(byte[] address) {
            return address.length == network.length && samePrefix(address, network, prefix);
        }
    }

    private static String problemOf(String entry) {
        if (entry.isEmpty() || entry.length() > MAX_TEXT) {
            return "give an IPv4 or IPv6 address or block of at most %d characters, e.g. 203.0.113.0/24".formatted(MAX_TEXT);
        }
        Block block = block(entry);
        if (block == null) {
            return "not an IP address or address block (host names are not accepted): use e.g. 203.0.113.7 or 203.0.113.0/24";
        }
        if (!samePrefix(block.network, masked(block), block.network.length * 8)) {
            return "the address has bits set beyond /%d: did you mean %s?".formatted(block.prefix,
                    text(masked(block)) + "/" + block.prefix);
        }
        return null;
    }

    private static String canonical(String entry) {
        Block block = block(entry);
        return text(block.network) + "/" + block.prefix;
    }

    /** Parses {@code address[/prefix]} without any lookup; null when it is not one. */
    private static Block block(String entry) {
        int slash = entry.indexOf('/');
        String host = slash < 0 ? entry : entry.substring(0, slash);
        if (host.indexOf('%') >= 0) {
            return null;
        }
        byte[] network = NetUtil.createByteArrayFromIpAddressString(host);
        if (network == null) {
            return null;
        }
        int bits = network.length * 8;
        if (slash < 0) {
            return new Block(network, bits);
        }
        String prefix = entry.substring(slash + 1);
        if (prefix.isEmpty() || prefix.length() > 3 || !prefix.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return null;
        }
        int length = Integer.parseInt(prefix);
        return length > bits ? null : new Block(network, length);
    }

    private static byte[] masked(Block block) {
        byte[] masked = block.network.clone();
        for (int bit = block.prefix; bit < masked.length * 8; bit++) {
            masked[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
        }
        return masked;
    }

    private static boolean samePrefix(byte[] a, byte[] b, int bits) {
        for (int bit = 0; bit < bits; bit++) {
            int mask = 0x80 >>> (bit % 8);
            if ((a[bit / 8] & mask) != (b[bit / 8] & mask)) {
                return false;
            }
        }
        return true;
    }

    private static String text(byte[] address) {
        try {
            return NetUtil.toAddressString(InetAddress.getByAddress(address));
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
