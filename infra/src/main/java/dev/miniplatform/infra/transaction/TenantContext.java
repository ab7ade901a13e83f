package dev.miniplatform.infra.transaction;

import reactor.core.publisher.Mono;
import reactor.util.context.Context;
import reactor.util.context.ContextView;

import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * The tenant and user a piece of reactive work runs for. It travels in the Reactor Context, never in a
 * ThreadLocal, and {@link TenantTransactions} turns it into PostgreSQL settings for row-level security.
 */
public record TenantContext(Optional<UUID> tenantId, Optional<String> userId, boolean reviewer) {

    static final Object KEY = TenantContext.class;

    public static TenantContext none() {
        return new TenantContext(Optional.empty(), Optional.empty(), false);
    }

    /** Work for one tenant on behalf of one user (user may be null for work done by the platform itself). */
    public static Function<Context, Context> forTenant(UUID tenantId, String userId) {
        return context -> context.put(KEY, new TenantContext(Optional.of(tenantId), Optional.ofNullable(userId), false));
    }

    /** Work for a user across the tenants they belong to, with no current tenant. */
    public static Function<Context, Context> forUser(String userId) {
        return context -> context.put(KEY, new TenantContext(Optional.empty(), Optional.of(userId), false));
    }

    /**
     * A platform reviewer reading the cross-tenant review queue. Only the review queue's policy honours this;
     * every other table still shows nothing without a tenant. Grant it only to the platform-reviewer role.
     */
    public static Function<Context, Context> forReviewer(String userId) {
        return context -> context.put(KEY, new TenantContext(Optional.empty(), Optional.of(userId), true));
    }

    public static TenantContext from(ContextView context) {
        return context.getOrDefault(KEY, none());
    }

    public static Mono<TenantContext> current() {
        return Mono.deferContextual(context -> Mono.just(from(context)));
    }
}
