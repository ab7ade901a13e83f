package dev.miniplatform.model.tenancy;

import org.springframework.data.repository.reactive.ReactiveCrudRepository;
import reactor.core.publisher.Mono;

import java.util.UUID;

/** Read-only use: the rows come from the memberships trigger, and the table is append-only. */
public interface MembershipHistoryRepository extends ReactiveCrudRepository<MembershipHistoryEntry, UUID> {

    /** Whether the user is, or ever was, a member of the tenant (in any role or status). */
    Mono<Boolean> existsByTenantIdAndUserId(UUID tenantId, String userId);
}
