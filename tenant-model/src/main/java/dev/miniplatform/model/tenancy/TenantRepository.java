package dev.miniplatform.model.tenancy;

import org.springframework.data.repository.reactive.ReactiveCrudRepository;
import reactor.core.publisher.Flux;

import java.util.UUID;

/**
 * Tenants visible under the current row-level-security settings: the current tenant, and every tenant the
 * current user is a member of. There is deliberately no tenant filter here; PostgreSQL applies it.
 */
public interface TenantRepository extends ReactiveCrudRepository<Tenant, UUID> {

    Flux<Tenant> findAllByOrderByCreatedAtAsc();
}
