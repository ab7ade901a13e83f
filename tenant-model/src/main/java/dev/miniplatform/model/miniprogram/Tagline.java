package dev.miniplatform.model.miniprogram;

/**
 * The one-line pitch under the name in search results: 10 to 30 characters on one line. The Alipay+ quickstart
 * gives no CJK weighting for it, so characters are counted as a person counts them (see {@link CharacterCount}),
 * unlike the {@link MiniProgramName}.
 */
public record Tagline(String value) {

    public static final String FIELD = "tagline";
    public static final int MIN_LENGTH = 10;
    public static final int MAX_LENGTH = 30;

    private static final TextRule RULE = new TextRule(MIN_LENGTH, MAX_LENGTH, CharacterCount::of,
            "characters", codePoint -> false);

    public Tagline {
        value = RULE.apply(FIELD, value);
    }

    public static Tagline of(String field, String raw) {
        return new Tagline(RULE.apply(field, raw));
    }
}
