package dev.miniplatform.model.miniprogram;

import dev.miniplatform.model.validation.InvalidInputException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The customer-service address. The check is deliberately the plain "dot-atom" subset of RFC 5321 that real
 * mailboxes use, not the full grammar (quoted local parts, IP literals, comments): those pass RFCs but fail the
 * forms of the stores the address is forwarded to, so rejecting them early is kinder.
 * <p>
 * The domain is lower-cased because domains are case-insensitive and stored values should compare equal; the
 * local part is kept as typed because, strictly, only the receiving server may decide it is case-insensitive.
 */
public record ServiceEmail(String value) {

    public static final String FIELD = "serviceEmail";
    public static final int MAX_LENGTH = 254;
    public static final int MAX_LOCAL_LENGTH = 64;
    public static final int MAX_LABEL_LENGTH = 63;

    private static final Pattern LOCAL_PART = Pattern.compile("[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+");
    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?");
    private static final String FORMAT_MESSAGE = "must be an email address such as service@example.com";

    public ServiceEmail {
        value = check(FIELD, value);
    }

    public static ServiceEmail of(String field, String raw) {
        return new ServiceEmail(check(field, raw));
    }

    private static String check(String field, String raw) {
        String value = raw == null ? "" : raw.strip();
        if (value.isEmpty()) {
            throw InvalidInputException.of(field, "required", "is required");
        }
        int at = value.indexOf('@');
        boolean wellFormed = value.length() <= MAX_LENGTH
                && at >= 0 && at == value.lastIndexOf('@')
                && isLocalPart(value.substring(0, at))
                && isDomain(value.substring(at + 1));
        if (!wellFormed) {
            throw InvalidInputException.of(field, "format", FORMAT_MESSAGE);
        }
        return value.substring(0, at + 1) + value.substring(at + 1).toLowerCase(Locale.ROOT);
    }

    /** Dots separate atoms, so one may not lead, trail or double up. */
    private static boolean isLocalPart(String local) {
        return !local.isEmpty()
                && local.length() <= MAX_LOCAL_LENGTH
                && LOCAL_PART.matcher(local).matches()
                && !local.startsWith(".")
                && !local.endsWith(".")
                && !local.contains("..");
    }

    /** At least two labels: a bare host name is never a public mailbox. */
    private static boolean isDomain(String domain) {
        String[] labels = domain.split("\\.", -1);
        if (labels.length < 2) {
            return false;
        }
        for (String label : labels) {
            if (label.length() > MAX_LABEL_LENGTH || !LABEL.matcher(label).matches()) {
                return false;
            }
        }
        return true;
    }
}
