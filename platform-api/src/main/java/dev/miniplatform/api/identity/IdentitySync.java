package dev.miniplatform.api.identity;

import dev.miniplatform.auth.keycloak.TenantRealmEntry;
import dev.miniplatform.infra.effects.Effect;
import dev.miniplatform.infra.effects.PendingEffects;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

import java.util.Map;
import java.util.UUID;

/**
 * How a change in the database asks for the matching change in Keycloak: call these inside the change's transaction.
 * The request is queued with the change and performed after the commit (then retried until Keycloak answers), so a
 * rolled-back change never reaches Keycloak and a slow Keycloak never holds a transaction open. Each effect
 * converges Keycloak to what the database says when it runs, so repeats and reorderings are harmless.
 */
@Component
public class IdentitySync {

    static final String MEMBER = "keycloak.member";
    static final String WORKSPACE = "keycloak.workspace";

    private final PendingEffects effects;

    IdentitySync(PendingEffects effects) {
        this.effects = effects;
    }

    /** The user's membership in the tenant changed (joined, role, blocked, unblocked, removed). */
    public Mono<Void> memberChanged(UUID tenantId, String userId) {
        return effects.enqueue(new Effect(tenantId, "member:" + userId, MEMBER, Map.of("userId", userId)));
    }

    /** The workspace is closed (or its sign-up failed): its organization and groups go from Keycloak. */
    public Mono<Void> workspaceGone(UUID tenantId, TenantRealmEntry entry) {
        return effects.enqueue(new Effect(tenantId, "workspace", WORKSPACE,
                Map.of("organizationId", entry.organizationId(), "groupId", entry.groupId() == null ? "" : entry.groupId())));
    }
}
