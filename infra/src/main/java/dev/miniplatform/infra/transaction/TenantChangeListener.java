package dev.miniplatform.infra.transaction;

import reactor.core.publisher.Mono;

import java.util.UUID;

/**
 * Told after the commit of every transaction that may have changed a tenant's data (its settings named the tenant,
 * or it entered it), before the request that made the change gets its answer, so that a cache of the tenant's
 * data can stop serving what that transaction changed. Not told for a {@link SafeRequest}: the database refuses
 * those requests' writes to the tables such caches hold (V26). A listener must not fail: the change has committed;
 * it handles its own failures.
 */
public interface TenantChangeListener {

    Mono<Void> tenantChanged(UUID tenantId);
}
