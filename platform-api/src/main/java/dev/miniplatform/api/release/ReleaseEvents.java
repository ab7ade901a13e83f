package dev.miniplatform.api.release;

import dev.miniplatform.api.audit.AuditLog;
import dev.miniplatform.api.outbox.Outbox;
import dev.miniplatform.model.release.Release;
import dev.miniplatform.model.release.ReleaseAction;
import dev.miniplatform.model.release.ReleaseState;
import reactor.core.publisher.Mono;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * What every release transition leaves behind, in its own transaction: an audit entry (actor, time, reason) and
 * an outbox event for subscribers.
 */
final class ReleaseEvents {

    private ReleaseEvents() {
    }

    static Mono<Void> record(AuditLog audit, Outbox outbox, UUID tenantId, String actor, Release release,
                             ReleaseState from, ReleaseAction action, String reason) {
        String target = "%s@%s/%s/%s".formatted(release.appId(), release.version(), release.walletId(), release.environment());
        Map<String, Object> after = new HashMap<>();
        after.put("state", release.state().name());
        if (release.grayPercent() != null) {
            after.put("grayPercent", release.grayPercent());
        }
        if (reason != null) {
            after.put("reason", reason);
        }
        Map<String, Object> event = new HashMap<>(after);
        event.put("appId", release.appId());
        event.put("version", release.version());
        event.put("wallet", release.walletId().toString());
        event.put("environment", release.environment().name());
        event.put("previousState", from.name());
        event.put("actor", actor);
        return audit.record(tenantId, actor, "release." + action.name().toLowerCase(), "release", target,
                        Map.of("state", from.name()), after)
                .then(outbox.append(tenantId, "release." + action.name().toLowerCase(), event));
    }
}
