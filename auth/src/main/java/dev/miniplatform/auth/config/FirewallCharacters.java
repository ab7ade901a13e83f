package dev.miniplatform.auth.config;

/**
 * Spring Security's firewall rules for header and parameter names and values, without its regular expressions
 * ({@code [\p{IsAssigned}&&[^\p{IsControl}]]*}, and the same plus TAB for header values). The firewall checks
 * every header a handler reads; matching that pattern over a 1–2 KB bearer token was about 5 % of the CPU of a
 * wallet read (bench/run --profile). Same answers, proved code point by code point in
 * {@code FirewallCharactersTest}. A null (absent) value passes, as in Spring Security.
 */
final class FirewallCharacters {

    private FirewallCharacters() {
    }

    /** Header and parameter names: every code point assigned and not a control character. */
    static boolean isAssignedAndNotControl(String text) {
        return text == null || allowed(text, false);
    }

    /** Header values: the same, but TAB is allowed. */
    static boolean isHeaderValue(String text) {
        return text == null || allowed(text, true);
    }

    private static boolean allowed(String text, boolean tab) {
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c < 0x80) {
                // every ASCII character is assigned; its controls are 0x00–0x1F and DEL
                if ((c < 0x20 || c == 0x7F) && !(tab && c == '\t')) {
                    return false;
                }
                i++;
                continue;
            }
            int codePoint = text.codePointAt(i);
            int type = Character.getType(codePoint);
            if (type == Character.UNASSIGNED || type == Character.CONTROL) {
                return false;
            }
            i += Character.charCount(codePoint);
        }
        return true;
    }
}
