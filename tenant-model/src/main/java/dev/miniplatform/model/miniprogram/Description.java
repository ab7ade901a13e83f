package dev.miniplatform.model.miniprogram;

/**
 * The mini program's store description: 20 to 200 characters, counted as a person counts them (see
 * {@link CharacterCount}); the Alipay+ quickstart gives no CJK weighting for it. Line feeds are allowed because
 * the store shows paragraphs; any other control character, carriage return included, is rejected, so that what
 * the merchant previews is what reviewers see.
 */
public record Description(String value) {

    public static final String FIELD = "description";
    public static final int MIN_LENGTH = 20;
    public static final int MAX_LENGTH = 200;

    private static final TextRule RULE = new TextRule(MIN_LENGTH, MAX_LENGTH, CharacterCount::of,
            "characters", codePoint -> codePoint == '\n');

    public Description {
        value = RULE.apply(FIELD, value);
    }

    public static Description of(String field, String raw) {
        return new Description(RULE.apply(field, raw));
    }
}
