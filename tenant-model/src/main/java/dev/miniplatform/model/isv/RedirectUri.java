package dev.miniplatform.model.isv;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * Where an ISV's OAuth client may send the merchant back to: an absolute https URL, or http only on a loopback
 * address (RFC 8252 §7.3 for native apps and local development). No fragment, no user info, no wildcard: Keycloak
 * compares redirect URIs exactly as registered. Only the merchant's browser follows a redirect URI, never the
 * platform's servers, so private and intranet hosts are fine here (an ISV's back office may live there); the URL the
 * platform itself connects to is a {@link WebhookUrl}, with rules of its own.
 */
public final class RedirectUri {

    private RedirectUri() {
    }

    /** @return why the text is not acceptable, or empty if it is */
    public static Optional<String> problem(String text, boolean allowLoopbackHttp) {
        if (text == null || text.isBlank()) {
            return Optional.of("is required");
        }
        if (text.length() > 500) {
            return Optional.of("must be at most 500 characters");
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
        if (uri.getFragment() != null || uri.getUserInfo() != null || text.contains("*")) {
            return Optional.of("must not contain a fragment, user info or wildcard");
        }
        if ("https".equalsIgnoreCase(uri.getScheme())) {
            return Optional.empty();
        }
        if ("http".equalsIgnoreCase(uri.getScheme()) && isLoopback(uri.getHost())) {
            return allowLoopbackHttp ? Optional.empty() : Optional.of("must use https");
        }
        return Optional.of("must use https (http only on a loopback address)");
    }

    /** Loopback by literal address only: a name could resolve elsewhere later (DNS rebinding). */
    static boolean isLoopback(String host) {
        String literal = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        if (!literal.matches("[0-9.]+|[0-9a-fA-F:]+")) {
            return false;
        }
        try {
            return InetAddress.getByName(literal).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
