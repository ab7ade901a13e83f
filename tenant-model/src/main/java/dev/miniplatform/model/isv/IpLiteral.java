package dev.miniplatform.model.isv;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * IP address literals in every spelling a URL host can carry, read without any lookup.
 * <p>
 * IPv4 as {@code inet_aton} and the WHATWG URL parser read it, because resolvers and HTTP clients that do so would
 * connect there: one to four parts, each decimal, hex ({@code 0x}) or octal (leading {@code 0}), the last part filling
 * the remaining bytes; {@code 127.1}, {@code 2130706433}, {@code 0x7f000001} and {@code 0177.0.0.1} all are 127.0.0.1.
 * IPv6 as the JDK parses a bracketed literal (which it never looks up).
 */
final class IpLiteral {

    private IpLiteral() {
    }

    /**
     * A host "ends in a number" (WHATWG URL): its last label is decimal digits or {@code 0x} and hex digits. Such a
     * host is an IPv4 address or invalid, never a name.
     */
    static boolean endsInANumber(String host) {
        String last = host.substring(host.lastIndexOf('.') + 1);
        if (last.startsWith("0x") || last.startsWith("0X")) {
            return last.substring(2).chars().allMatch(IpLiteral::isAsciiHexDigit);
        }
        return !last.isEmpty() && last.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    static Optional<InetAddress> ipv4(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length > 4) {
            return Optional.empty();
        }
        long address = 0;
        for (int i = 0; i < parts.length; i++) {
            long value = part(parts[i]);
            boolean last = i == parts.length - 1;
            long limit = last ? 1L << (8 * (4 - i)) : 256;
            if (value < 0 || value >= limit) {
                return Optional.empty();
            }
            address |= last ? value : value << (8 * (3 - i));
        }
        byte[] bytes = {(byte) (address >>> 24), (byte) (address >>> 16), (byte) (address >>> 8), (byte) address};
        return Optional.of(byAddress(bytes));
    }

    /** The address in brackets, without them; a zone id ({@code %eth0}) is not a literal the platform accepts. */
    static Optional<InetAddress> ipv6(String text) {
        if (text.isEmpty() || text.contains("%") || !text.chars().allMatch(c -> c == ':' || c == '.' || isAsciiHexDigit(c))) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByName("[" + text + "]"));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    /** One part's value, or -1 if it is not a number; more than 12 digits is not one (and would not fit). */
    private static long part(String text) {
        int radix = 10;
        String digits = text;
        if (text.startsWith("0x") || text.startsWith("0X")) {
            radix = 16;
            digits = text.substring(2);
            if (digits.isEmpty()) {
                return 0;
            }
        } else if (text.length() > 1 && text.startsWith("0")) {
            radix = 8;
            digits = text.substring(1);
        }
        if (digits.isEmpty() || digits.length() > 12) {
            return -1;
        }
        int base = radix;
        if (!digits.chars().allMatch(c -> c < 128 && Character.digit(c, base) >= 0)) {
            return -1;
        }
        return Long.parseLong(digits, radix);
    }

    private static boolean isAsciiHexDigit(int c) {
        return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
    }

    private static InetAddress byAddress(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("four bytes are always an IPv4 address", e);
        }
    }
}
