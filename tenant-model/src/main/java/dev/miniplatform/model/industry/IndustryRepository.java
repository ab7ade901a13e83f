package dev.miniplatform.model.industry;

import org.springframework.data.r2dbc.repository.Query;
import org.springframework.data.repository.reactive.ReactiveCrudRepository;
import reactor.core.publisher.Flux;

public interface IndustryRepository extends ReactiveCrudRepository<Industry, String> {

    /**
     * Selectable industries whose English or Chinese name, or whose parent's, contains the text; for the
     * console's search box. An empty text lists them all.
     */
    @Query("""
            select i.* from industries i join industries p on p.code = i.parent_code
            where i.selectable
              and (:q = '' or i.name ilike '%' || :q || '%' or i.name_zh like '%' || :q || '%'
                   or p.name ilike '%' || :q || '%' or p.name_zh like '%' || :q || '%' or i.code like '%' || lower(:q) || '%')
            order by p.sort_order, i.sort_order
            limit :limit""")
    Flux<Industry> search(String q, int limit);
}
