package dev.miniplatform.api.member;

import dev.miniplatform.model.member.DeveloperAssignment;
import dev.miniplatform.model.miniprogram.MiniProgram;
import dev.miniplatform.model.miniprogram.MiniProgramRepository;
import dev.miniplatform.model.validation.Validation;
import org.springframework.data.r2dbc.core.R2dbcEntityTemplate;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.springframework.data.relational.core.query.Criteria.where;
import static org.springframework.data.relational.core.query.Query.query;

/**
 * Developers' mini program assignments: checking that requested app ids exist in the tenant, replacing a
 * developer's list, and reading them for display. Runs inside the caller's tenant transaction.
 */
@Component
class Assignments {

    private final R2dbcEntityTemplate template;
    private final MiniProgramRepository programs;

    Assignments(R2dbcEntityTemplate template, MiniProgramRepository programs) {
        this.template = template;
        this.programs = programs;
    }

    /** Adds a field error unless every id names a mini program of this tenant (other tenants' ids do not). */
    Mono<Validation> checkExist(List<String> appIds, String field, Validation validation) {
        Set<String> distinct = new LinkedHashSet<>(appIds);
        if (distinct.isEmpty()) {
            return Mono.just(validation);
        }
        return programs.countByAppIdIn(distinct)
                .map(found -> found == distinct.size() ? validation
                        : validation.reject(field, "unknown", "names a mini program that does not exist in this workspace"));
    }

    /** The ids that still name a mini program: one may be deleted between an invitation and its acceptance. */
    Mono<List<String>> stillExisting(List<String> appIds) {
        if (appIds.isEmpty()) {
            return Mono.just(List.of());
        }
        return template.select(query(where("app_id").in(appIds)), MiniProgram.class)
                .map(MiniProgram::appId)
                .collectList();
    }

    Mono<Void> replace(UUID tenantId, String userId, List<String> appIds) {
        return template.delete(query(where("user_id").is(userId)), DeveloperAssignment.class)
                .thenMany(Flux.fromIterable(new LinkedHashSet<>(appIds)))
                .concatMap(appId -> template.insert(new DeveloperAssignment(tenantId, userId, appId)))
                .then();
    }

    Mono<List<String>> of(String userId) {
        return template.select(query(where("user_id").is(userId)), DeveloperAssignment.class)
                .map(DeveloperAssignment::appId)
                .sort()
                .collectList();
    }

    Mono<Map<String, List<String>>> all() {
        return template.select(DeveloperAssignment.class).all()
                .collect(Collectors.groupingBy(DeveloperAssignment::userId,
                        Collectors.mapping(DeveloperAssignment::appId, Collectors.toList())));
    }
}
