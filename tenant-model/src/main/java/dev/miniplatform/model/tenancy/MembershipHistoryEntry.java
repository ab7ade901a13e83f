package dev.miniplatform.model.tenancy;

import org.springframework.data.annotation.Id;
import org.springframework.data.relational.core.mapping.Table;

import java.time.Instant;
import java.util.UUID;

/**
 * One change to a membership, written by a database trigger in the transaction of the change (the application
 * never writes these rows itself). Outlives the membership, so "was ever a member" stays answerable after removal.
 */
@Table("membership_history")
public record MembershipHistoryEntry(
        @Id UUID id,
        UUID tenantId,
        String userId,
        String event,
        MemberRole role,
        MembershipStatus status,
        Instant occurredAt) {
}
