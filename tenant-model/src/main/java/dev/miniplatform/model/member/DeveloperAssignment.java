package dev.miniplatform.model.member;

import org.springframework.data.relational.core.mapping.Table;

import java.util.UUID;

/**
 * A mini program a developer may develop and release. Developers see nothing else of the tenant's mini programs.
 */
@Table("developer_assignments")
public record DeveloperAssignment(UUID tenantId, String userId, String appId) {
}
