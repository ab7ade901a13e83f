package dev.miniplatform.model.isv;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Where an ISV's webhooks go. Unlike a redirect URI, which only the merchant's browser follows, this is a URL the
 * platform's own servers connect to, so it must not aim at the platform's network: an absolute https URL with no
 * user info or fragment, on port 443 or an unprivileged port (1024 and up; below that live SSH, SMTP and the other
 * services a POST must not be thrown at), whose host is
 * <ul>
 *     <li>a public IP address written as four decimal numbers ({@link PublicAddress}); every other spelling of an
 *     IPv4 address (127.1, 2130706433, 0x7f000001, 0177.0.0.1) and any zone id is refused, or</li>
 *     <li>a host name with at least two labels that is not {@code localhost} or under a suffix that only ever
 *     resolves inside a network ({@code .localhost}, {@code .local}, {@code .internal}, {@code .home.arpa} …).
 *     Names are checked once more where it counts: at delivery, on the addresses they resolve to then.</li>
 * </ul>
 * For local development only ({@code allowLoopbackHttp}), {@code http://} to a loopback literal (127.x.y.z or
 * [::1]) on any port; nothing else gets closer than that.
 */
public final class WebhookUrl {

    private static final int MAX_LENGTH = 500;
    private static final int HTTPS_PORT = 443;
    private static final int FIRST_UNPRIVILEGED_PORT = 1024;

    /** Special-use and de-facto private suffixes (RFC 6761, RFC 6762, RFC 8375, ICANN's .internal, SAC113). */
    private static final Set<String> PRIVATE_SUFFIXES = Set.of("localhost", "localdomain", "local", "internal", "intranet",
            "private", "corp", "home", "lan", "home.arpa");

    static final String NOT_PUBLIC = "must not point to a loopback, private, link-local or otherwise reserved address";

    private WebhookUrl() {
    }

    /** @return why the text is not acceptable, or empty if it is */
    public static Optional<String> problem(String text, boolean allowLoopbackHttp) {
        if (text == null || text.isBlank()) {
            return Optional.of("is required");
        }
        if (text.length() > MAX_LENGTH) {
            return Optional.of("must be at most " + MAX_LENGTH + " characters");
        }
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            return Optional.of("is not a valid URL");
        }
        if (!uri.isAbsolute() || uri.getHost() == null) {
            return Optional.of("must be an absolute URL with a host");
        }
        if (uri.getRawUserInfo() != null || uri.getRawFragment() != null) {
            return Optional.of("must not contain user info or a fragment");
        }
        if (allowLoopbackHttp && isLoopbackHttp(uri)) {
            return Optional.empty();
        }
        if (!"https".equalsIgnoreCase(uri.getScheme())) {
            return Optional.of(allowLoopbackHttp ? "must use https (http only on a loopback address)" : "must use https");
        }
        if (uri.getPort() != -1 && uri.getPort() != HTTPS_PORT
                && (uri.getPort() < FIRST_UNPRIVILEGED_PORT || uri.getPort() > 65535)) {
            return Optional.of("must use port 443 or a port from 1024 to 65535");
        }
        return hostProblem(uri.getHost());
    }

    /**
     * The local-development exception: {@code http://} to a loopback address written plainly (127.x.y.z or [::1]).
     * Only such a URL may reach loopback, and only where the exception is switched on.
     */
    public static boolean isLoopbackHttp(URI uri) {
        String host = uri.getHost();
        if (!"http".equalsIgnoreCase(uri.getScheme()) || host == null || uri.getRawUserInfo() != null) {
            return false;
        }
        if (host.startsWith("[")) {
            return "[::1]".equals(host);
        }
        return IpLiteral.ipv4(host)
                .filter(address -> host.equals(address.getHostAddress()))
                .filter(InetAddress::isLoopbackAddress)
                .isPresent();
    }

    private static Optional<String> hostProblem(String rawHost) {
        if (rawHost.startsWith("[")) {
            return ipv6Problem(rawHost.substring(1, rawHost.length() - 1));
        }
        String host = withoutTrailingDots(rawHost.toLowerCase(Locale.ROOT));
        if (IpLiteral.endsInANumber(host)) {
            return ipv4Problem(host);
        }
        if (PRIVATE_SUFFIXES.stream().anyMatch(suffix -> host.equals(suffix) || host.endsWith("." + suffix))) {
            return Optional.of("must be a public host name, not one that only resolves inside a network");
        }
        if (!host.contains(".")) {
            return Optional.of("must be a fully qualified host name (a single label resolves inside the network)");
        }
        return Optional.empty();
    }

    private static Optional<String> ipv6Problem(String literal) {
        Optional<InetAddress> address = IpLiteral.ipv6(literal);
        if (address.isEmpty()) {
            return Optional.of("is not a valid IPv6 address (zone ids are not accepted)");
        }
        return PublicAddress.isPublic(address.get()) ? Optional.empty() : Optional.of(NOT_PUBLIC);
    }

    private static Optional<String> ipv4Problem(String host) {
        Optional<InetAddress> address = IpLiteral.ipv4(host);
        if (address.isEmpty()) {
            return Optional.of("is not a valid host");
        }
        if (!PublicAddress.isPublic(address.get())) {
            return Optional.of(NOT_PUBLIC);
        }
        if (!host.equals(address.get().getHostAddress())) {
            return Optional.of("must write an IPv4 address as four decimal numbers");
        }
        return Optional.empty();
    }

    /** {@code localhost.} is {@code localhost}: DNS names may end in the root's empty label. */
    private static String withoutTrailingDots(String host) {
        String name = host;
        while (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        return name;
    }
}
