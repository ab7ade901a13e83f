package dev.miniplatform.model.wallet;

import dev.miniplatform.model.validation.InvalidInputException;

import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The URI scheme a wallet app registers to be opened by a preview's deep link ({@code <scheme>://preview?…}):
 * an RFC 3986 scheme ({@code ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )}), at most 64 characters, kept in lower
 * case (schemes are case-insensitive). Schemes a browser or the console would act on by themselves (web, script,
 * file and data URLs) are refused: a deep link is shown as a link in the console and encoded into QR codes.
 */
public record DeepLinkScheme(String value) {

    private static final Pattern SHAPE = Pattern.compile("[a-z][a-z0-9+.-]{0,63}");
    private static final Set<String> REFUSED = Set.of("http", "https", "javascript", "vbscript", "data", "file",
            "blob", "about", "ftp", "ws", "wss", "mailto", "tel", "sms", "intent", "content", "filesystem");

    public DeepLinkScheme {
        String problem = problem(value);
        if (problem != null) {
            throw InvalidInputException.of("deepLinkScheme", "format", problem);
        }
    }

    /** Parses what a person typed: surrounding spaces dropped, lower-cased. */
    public static DeepLinkScheme parse(String typed) {
        return new DeepLinkScheme(typed == null ? null : typed.strip().toLowerCase(Locale.ROOT));
    }

    /** The platform's scheme for a wallet registered without one: unique per wallet and always valid. */
    public static DeepLinkScheme defaultFor(UUID walletId) {
        return new DeepLinkScheme("mpp-" + walletId.toString().replace("-", "").substring(0, 12));
    }

    private static String problem(String value) {
        if (value == null || value.isEmpty()) {
            return "give a URI scheme such as 'alipays' (a letter, then letters, digits, '+', '-' or '.')";
        }
        if (!SHAPE.matcher(value).matches()) {
            return "an RFC 3986 scheme: a letter, then up to 63 letters, digits, '+', '-' or '.'";
        }
        if (REFUSED.contains(value)) {
            return "'%s' is a scheme browsers handle themselves; give the wallet app's own scheme".formatted(value);
        }
        return null;
    }

    /** The deep link that opens a preview of {@code appId} with {@code ticket} (both URL-safe as the platform makes them). */
    public String previewLink(String appId, String ticket) {
        return value + "://preview?appId=" + appId + "&preview=" + ticket;
    }

    @Override
    public String toString() {
        return value;
    }
}
