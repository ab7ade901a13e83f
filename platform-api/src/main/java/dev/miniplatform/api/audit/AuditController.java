package dev.miniplatform.api.audit;

import dev.miniplatform.api.access.Access;
import dev.miniplatform.api.access.TenantScope;
import dev.miniplatform.api.paging.Page;
import dev.miniplatform.api.paging.PageParams;
import dev.miniplatform.model.audit.AuditEvent;
import dev.miniplatform.model.audit.AuditEventRepository;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.data.domain.Sort;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

@Tag(name = "Audit", description = "The workspace's append-only audit log")
@RestController
class AuditController {

    private final TenantScope scope;
    private final AuditEventRepository events;
    private final JsonMapper json;

    AuditController(TenantScope scope, AuditEventRepository events, JsonMapper json) {
        this.scope = scope;
        this.events = events;
        this.json = json;
    }

    @Operation(summary = "Audit events, newest first (owner and masters); action= keeps the actions starting with it, "
            + "e.g. release. or invitation.sent")
    @GetMapping("/api/v1/tenants/{tenantId}/audit-events")
    Mono<Page<AuditEventView>> list(@PathVariable String tenantId, @RequestParam(required = false) Integer page,
                                @RequestParam(required = false) Integer size,
                                @RequestParam(required = false) String action) {
        PageParams params = PageParams.of(page, size);
        String prefix = action == null ? "" : action.strip();
        return scope.run(tenantId, access -> page(access.requireManager(), params, prefix));
    }

    private Mono<Page<AuditEventView>> page(Access access, PageParams params, String actionPrefix) {
        Flux<AuditEvent> found = actionPrefix.isEmpty()
                ? events.findAllByOrderByOccurredAtDesc(params.sortedBy(Sort.unsorted()))
                : events.findAllByActionStartingWithOrderByOccurredAtDesc(actionPrefix, params.sortedBy(Sort.unsorted()));
        Mono<Long> total = actionPrefix.isEmpty() ? events.count() : events.countByActionStartingWith(actionPrefix);
        return found
                .map(event -> AuditEventView.of(event, json))
                .collectList()
                .flatMap(items -> total.map(count -> Page.of(items, params, count)));
    }
}
