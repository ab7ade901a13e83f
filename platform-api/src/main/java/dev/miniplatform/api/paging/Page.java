package dev.miniplatform.api.paging;

import java.util.List;

/**
 * One page of a list, with the total so a console can render page numbers.
 */
public record Page<T>(List<T> items, int page, int size, long total) {

    public static <T> Page<T> of(List<T> items, PageParams params, long total) {
        return new Page<>(items, params.page(), params.size(), total);
    }
}
