package dev.miniplatform.api.paging;

import dev.miniplatform.model.validation.Validation;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Pageable;
import org.springframework.data.domain.Sort;

/**
 * {@code ?page=&size=} for every paged list: page from 0, size 1–100 (default 20).
 */
public record PageParams(int page, int size) {

    public static final int MAX_SIZE = 100;

    public static PageParams of(Integer page, Integer size) {
        Validation validation = new Validation();
        int p = page == null ? 0 : page;
        int s = size == null ? 20 : size;
        if (p < 0) {
            validation.reject("page", "range", "must be 0 or more");
        }
        if (s < 1 || s > MAX_SIZE) {
            validation.reject("size", "range", "must be between 1 and " + MAX_SIZE);
        }
        validation.throwIfInvalid();
        return new PageParams(p, s);
    }

    public Pageable sortedBy(Sort sort) {
        return PageRequest.of(page, size, sort);
    }
}
