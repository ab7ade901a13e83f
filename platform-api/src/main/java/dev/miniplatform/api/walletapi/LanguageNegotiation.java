package dev.miniplatform.api.walletapi;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Picks the localization to serve from an {@code Accept-Language} header (RFC 9110 §12.5.4) and the languages a
 * mini program has. Ranges are tried by descending q-value (ties keep header order); each range walks its
 * fallback chain by dropping subtags from the right ({@code zh-Hant-TW → zh-Hant → zh}), taking at every step an
 * exact match first and else the first language the step is a prefix of ({@code zh-Hant} also serves
 * {@code zh-Hant-HK}). {@code *} or no match at all gives the mini program's default language.
 */
final class LanguageNegotiation {

    /** Headers are bounded: a crafted header with thousands of ranges costs no more than this many. */
    static final int MAX_RANGES = 32;

    /**
     * Wallets send the same few headers over and over: parsed ranges are remembered for headers up to
     * {@link #MEMO_MAX_LENGTH} characters, at most {@link #MEMO_MAX_ENTRIES} of them (~4 % of a cached read's CPU
     * was parsing). Longer or rarer headers are parsed each time.
     */
    private static final int MEMO_MAX_LENGTH = 256;
    private static final int MEMO_MAX_ENTRIES = 1024;
    private static final Cache<String, List<Range>> PARSED = Caffeine.newBuilder().maximumSize(MEMO_MAX_ENTRIES).build();

    private LanguageNegotiation() {
    }

    private record Range(String tag, double quality, int position) {
    }

    /**
     * @param available the mini program's languages, default first
     * @return one of {@code available}, exactly as spelled there
     */
    public static String choose(String acceptLanguage, List<String> available, String defaultLanguage) {
        for (Range range : ranges(acceptLanguage)) {
            if (range.tag().equals("*")) {
                return defaultLanguage;
            }
            String match = lookup(range.tag(), available);
            if (match != null) {
                return match;
            }
        }
        return defaultLanguage;
    }

    private static String lookup(String tag, List<String> available) {
        String step = tag;
        while (!step.isEmpty()) {
            for (String language : available) {
                if (language.equalsIgnoreCase(step)) {
                    return language;
                }
            }
            String prefix = step + "-";
            for (String language : available) {
                if (language.toLowerCase(Locale.ROOT).startsWith(prefix)) {
                    return language;
                }
            }
            int cut = step.lastIndexOf('-');
            step = cut < 0 ? "" : step.substring(0, cut);
            // a single-letter subtag (x-, a private-use or extension singleton) never stands alone
            if (step.length() > 1 && step.charAt(step.length() - 2) == '-') {
                step = step.substring(0, step.length() - 2);
            }
        }
        return null;
    }

    static List<Range> ranges(String header) {
        if (header != null && header.length() <= MEMO_MAX_LENGTH) {
            return PARSED.get(header, LanguageNegotiation::parse);
        }
        return parse(header);
    }

    private static List<Range> parse(String header) {
        List<Range> ranges = new ArrayList<>();
        if (header == null || header.isBlank()) {
            return ranges;
        }
        String[] parts = header.split(",", MAX_RANGES + 1);
        for (int i = 0; i < Math.min(parts.length, MAX_RANGES); i++) {
            Range range = range(parts[i], i);
            if (range != null && range.quality() > 0) {
                ranges.add(range);
            }
        }
        ranges.sort(Comparator.comparingDouble(Range::quality).reversed().thenComparingInt(Range::position));
        return List.copyOf(ranges);
    }

    private static Range range(String part, int position) {
        String[] pieces = part.split(";");
        String tag = pieces[0].trim().toLowerCase(Locale.ROOT);
        if (!tag.equals("*") && !tag.matches("[a-z]{1,8}(-[a-z0-9]{1,8})*")) {
            return null;
        }
        double quality = 1.0;
        for (int i = 1; i < pieces.length; i++) {
            String parameter = pieces[i].trim();
            if (parameter.startsWith("q=")) {
                quality = quality(parameter.substring(2));
            }
        }
        return new Range(tag, quality, position);
    }

    /** RFC 9110 qvalue: 0 to 1 with at most three decimals; anything else counts as "not acceptable". */
    private static double quality(String raw) {
        if (!raw.matches("0(\\.\\d{0,3})?|1(\\.0{0,3})?")) {
            return 0;
        }
        return Double.parseDouble(raw);
    }
}
