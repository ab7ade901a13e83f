package dev.miniplatform.model.miniprogram;

/**
 * The name shown under the mini program's icon: 3 to 30 in display width, where a Chinese character counts as two
 * and a letter or digit as one (see {@link DisplayWidth} for everything else). Alipay+ review applies this rule,
 * so checking it here spares the merchant a rejected submission days later.
 * <p>
 * The canonical constructor reports errors on the field {@value #FIELD}; use {@link #of(String, String)} when the
 * name sits elsewhere in the request, such as {@code localizations.zh-CN.name}.
 */
public record MiniProgramName(String value) {

    public static final String FIELD = "name";
    public static final int MIN_WIDTH = 3;
    public static final int MAX_WIDTH = 30;

    private static final TextRule RULE = new TextRule(MIN_WIDTH, MAX_WIDTH, DisplayWidth::of,
            "wide, counting a Chinese character as 2 and a letter or digit as 1", codePoint -> false);

    public MiniProgramName {
        value = RULE.apply(FIELD, value);
    }

    public static MiniProgramName of(String field, String raw) {
        return new MiniProgramName(RULE.apply(field, raw));
    }
}
