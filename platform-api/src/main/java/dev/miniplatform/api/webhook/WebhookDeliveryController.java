package dev.miniplatform.api.webhook;

import dev.miniplatform.api.access.TenantScope;
import dev.miniplatform.api.paging.Page;
import dev.miniplatform.api.paging.PageParams;
import dev.miniplatform.model.isv.WebhookDelivery;
import dev.miniplatform.model.isv.WebhookDeliveryRepository;
import dev.miniplatform.model.validation.InvalidInputException;
import dev.miniplatform.model.validation.NotFoundException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.data.domain.Sort;
import org.springframework.data.r2dbc.core.R2dbcEntityTemplate;
import org.springframework.data.relational.core.query.Criteria;
import org.springframework.data.relational.core.query.Query;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

import java.time.Clock;
import java.util.Set;

/** The ISV's webhook delivery log and replay (owner or master of the ISV workspace). */
@Tag(name = "Webhook deliveries", description = "What was sent to the ISV's webhook, and replay")
@RestController
@RequestMapping("/api/v1/tenants/{isvId}/webhook-deliveries")
class WebhookDeliveryController {

    private static final Set<String> STATES = Set.of("PENDING", "DELIVERED", "FAILED");

    private final TenantScope scope;
    private final WebhookDeliveryRepository deliveries;
    private final R2dbcEntityTemplate template;
    private final Clock clock;

    WebhookDeliveryController(TenantScope scope, WebhookDeliveryRepository deliveries, R2dbcEntityTemplate template,
                              Clock clock) {
        this.scope = scope;
        this.deliveries = deliveries;
        this.template = template;
        this.clock = clock;
    }

    @Operation(summary = "Deliveries, newest first, optionally in one state (PENDING, DELIVERED, FAILED)")
    @GetMapping
    Mono<Page<WebhookDeliveryView>> list(@PathVariable String isvId, @RequestParam(required = false) String state,
                                         @RequestParam(required = false) Integer page,
                                         @RequestParam(required = false) Integer size) {
        if (state != null && !STATES.contains(state)) {
            return Mono.error(InvalidInputException.of("state", "enum", "one of PENDING, DELIVERED, FAILED"));
        }
        PageParams params = PageParams.of(page, size);
        Criteria criteria = state == null ? Criteria.empty() : Criteria.where("state").is(state);
        return scope.run(isvId, access -> {
            access.requireManager();
            return template.select(Query.query(criteria).with(params.sortedBy(Sort.by(Sort.Direction.DESC, "created_at"))),
                            WebhookDelivery.class)
                    .map(WebhookDeliveryView::of)
                    .collectList()
                    .zipWith(template.count(Query.query(criteria), WebhookDelivery.class),
                            (items, total) -> Page.of(items, params, total));
        });
    }

    @Operation(summary = "Send a delivery again (same webhook-id), e.g. after it FAILED")
    @PostMapping("/{deliveryId}/replay")
    @ResponseStatus(HttpStatus.ACCEPTED)
    Mono<WebhookDeliveryView> replay(@PathVariable String isvId, @PathVariable String deliveryId) {
        return scope.run(isvId, access -> Mono.fromCallable(access::requireManager)
                .then(Mono.justOrEmpty(TenantScope.parse(deliveryId)))
                .flatMap(deliveries::findById)
                .switchIfEmpty(Mono.error(() -> new NotFoundException("Webhook delivery")))
                .map(delivery -> delivery.replayed(clock.instant()))
                .flatMap(template::update)
                .map(WebhookDeliveryView::of));
    }
}
