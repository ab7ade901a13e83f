package dev.miniplatform.walletsdk;

/**
 * The list's filters and paging; null means the platform's default. {@code sort} is one of {@code appId},
 * {@code name}, {@code publishedAt}, {@code createdAt}.
 */
public record ListQuery(String q, String industry, String status, String sort, Integer page, Integer size) {

    public static ListQuery all() {
        return new ListQuery(null, null, null, null, null, null);
    }

    public ListQuery withPage(int page, int size) {
        return new ListQuery(q, industry, status, sort, page, size);
    }

    public ListQuery withText(String text) {
        return new ListQuery(text, industry, status, sort, page, size);
    }

    public ListQuery withIndustry(String code) {
        return new ListQuery(q, code, status, sort, page, size);
    }

    public ListQuery sortedBy(String field) {
        return new ListQuery(q, industry, status, field, page, size);
    }
}
