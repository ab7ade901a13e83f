package dev.miniplatform.auth.keycloak;

/**
 * What a tenant is in Keycloak: its organization and its group (whose subgroups OWNER, MASTER, DEVELOPER hold
 * the members by role).
 */
public record TenantRealmEntry(String organizationId, String groupId) {
}
