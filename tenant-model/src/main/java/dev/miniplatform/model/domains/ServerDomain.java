package dev.miniplatform.model.domains;

import com.google.common.net.InternetDomainName;
import dev.miniplatform.model.validation.InvalidInputException;

import java.net.IDN;
import java.util.Locale;

/**
 * One entry of a server domain allow-list, normalized: {@code https://api.example.com}, {@code wss://ws.example.com}
 * or the wildcard form {@code https://*.example.com}.
 * <p>
 * The rules, each once, checked without any network or DNS:
 * <ul>
 *   <li>the list's scheme only ({@code https://}; {@code wss://} for sockets), in any letter case;</li>
 *   <li>a host name, never an IP literal (IPv4 in any spelling whose last label is a number, bracketed IPv6);</li>
 *   <li>no port but 443, which is the default and is dropped ({@code https://a.com:443} is {@code https://a.com});</li>
 *   <li>no user info, path, query or fragment; a lone trailing {@code /} (the root) is dropped;</li>
 *   <li>a wildcard only as the whole first label, {@code *.example.com}: it matches any host one or more labels below
 *       {@code example.com}, never {@code example.com} itself;</li>
 *   <li>at least two labels; each label 1–63 letters, digits or hyphens, not starting or ending with a hyphen, the
 *       last one starting with a letter; the whole host at most 253 characters;</li>
 *   <li>neither the host nor a wildcard's base may be a public suffix ({@code com}, {@code co.uk}, {@code github.io}),
 *       judged by the public suffix list that ships inside Guava ({@link InternetDomainName#isPublicSuffix()});</li>
 *   <li>Unicode names are accepted and stored as punycode ({@code bücher.example} → {@code xn--bcher-kva.example},
 *       by {@link IDN#toASCII} with the STD3 rules), letters lower-cased, a trailing dot dropped.</li>
 * </ul>
 * Every check is linear in the entry's length, and an entry longer than {@link #MAX_LENGTH} is refused before any
 * of them, so a hostile list costs no CPU.
 */
public final class ServerDomain {

    /** {@code wss://} or {@code https://}, {@code *.}, 253 characters of host, {@code :443}, a trailing slash and dot. */
    public static final int MAX_LENGTH = 300;

    static final int MAX_HOST = 253;
    static final int MAX_LABEL = 63;
    private static final String WILDCARD = "*.";

    private ServerDomain() {
    }

    /**
     * @return the normalized entry
     * @throws InvalidInputException naming {@code field} with the first rule the entry breaks
     */
    public static String normalize(String field, String entry, DomainList list) {
        if (entry == null || entry.isBlank()) {
            throw InvalidInputException.of(field, "required", "give a domain such as " + list.scheme() + "api.example.com");
        }
        if (entry.length() > MAX_LENGTH) {
            throw InvalidInputException.of(field, "length", "at most " + MAX_LENGTH + " characters");
        }
        if (!entry.regionMatches(true, 0, list.scheme(), 0, list.scheme().length())) {
            throw InvalidInputException.of(field, "scheme", list == DomainList.SOCKET
                    ? "socket domains start with wss://"
                    : "start with https:// (wss:// is for socket domains only)");
        }
        String authority = entry.substring(list.scheme().length());
        if (authority.endsWith("/")) {
            authority = authority.substring(0, authority.length() - 1);
        }
        if (authority.indexOf('/') >= 0 || authority.indexOf('?') >= 0 || authority.indexOf('#') >= 0
                || authority.indexOf('\\') >= 0) {
            throw InvalidInputException.of(field, "path", "a domain only: no path, query or fragment");
        }
        if (authority.indexOf('@') >= 0) {
            throw InvalidInputException.of(field, "userinfo", "a domain only: no user name or password");
        }
        if (authority.startsWith("[")) {
            throw InvalidInputException.of(field, "ip-literal", "a domain name, not an IP address");
        }
        String host = withoutPort(field, authority);
        if (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }
        boolean wildcard = host.startsWith(WILDCARD);
        String base = wildcard ? host.substring(WILDCARD.length()) : host;
        if (base.indexOf('*') >= 0) {
            throw InvalidInputException.of(field, "wildcard",
                    "a wildcard only as the whole first label, as in " + list.scheme() + "*.example.com");
        }
        String ascii = ascii(field, base).toLowerCase(Locale.ROOT);
        checkName(field, ascii, wildcard);
        return list.scheme() + (wildcard ? WILDCARD : "") + ascii;
    }

    private static String withoutPort(String field, String authority) {
        int colon = authority.lastIndexOf(':');
        if (colon < 0) {
            return authority;
        }
        if (!authority.substring(colon + 1).equals("443")) {
            throw InvalidInputException.of(field, "port", "no port but the default 443");
        }
        return authority.substring(0, colon);
    }

    private static String ascii(String field, String host) {
        if (host.chars().allMatch(c -> c < 0x80)) {
            return host;
        }
        try {
            return IDN.toASCII(host, IDN.USE_STD3_ASCII_RULES);
        } catch (IllegalArgumentException e) {
            throw InvalidInputException.of(field, "format", "not a valid internationalized domain name");
        }
    }

    private static void checkName(String field, String host, boolean wildcard) {
        if (host.length() + (wildcard ? WILDCARD.length() : 0) > MAX_HOST) {
            throw InvalidInputException.of(field, "length", "a host name of at most " + MAX_HOST + " characters");
        }
        String[] labels = host.split("\\.", -1);
        for (String label : labels) {
            if (label.isEmpty() || label.length() > MAX_LABEL || label.startsWith("-") || label.endsWith("-")
                    || !label.chars().allMatch(ServerDomain::isLdh)) {
                throw InvalidInputException.of(field, label.length() > MAX_LABEL ? "length" : "format",
                        "each part between dots: 1 to " + MAX_LABEL + " letters, digits or hyphens, no hyphen at either end");
            }
        }
        String last = labels[labels.length - 1];
        if (!Character.isLetter(last.charAt(0))) {
            // a host whose last label is a number is an IPv4 address (in one of its many spellings) or nothing
            throw InvalidInputException.of(field, "ip-literal", "a domain name, not an IP address");
        }
        if (publicSuffix(host)) {
            throw InvalidInputException.of(field, "public-suffix", wildcard
                    ? "a wildcard must sit below a registered domain, not a public suffix such as com or co.uk"
                    : "a public suffix such as com or co.uk is nobody's server; give your own domain");
        }
        if (labels.length < 2) {
            throw InvalidInputException.of(field, "format", "a full domain name such as api.example.com");
        }
    }

    private static boolean publicSuffix(String host) {
        try {
            return InternetDomainName.from(host).isPublicSuffix();
        } catch (IllegalArgumentException e) {
            // Guava's own syntax rules are no stricter than the ones above; should they ever be, refuse
            return true;
        }
    }

    private static boolean isLdh(int c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
    }
}
