package dev.miniplatform.api.isv;

import dev.miniplatform.infra.effects.Effect;

import java.util.Map;
import java.util.UUID;

/**
 * The side effect an ISV's suspension or reinstatement queues in its own transaction: every cached grant of its
 * client is dropped on every node. The authorizations module performs it (its {@code GrantDrop} handles this kind);
 * this module only names it, so that it never depends on authorizations, which depend on it.
 */
public final class IsvClientChange {

    private static final String KIND = "isv.grant-drop";

    private IsvClientChange() {
    }

    /** The effect kind (queued effects already in the database carry it). */
    public static String kind() {
        return KIND;
    }

    /** Every grant of the client, queued in the ISV's tenant. */
    static Effect grantsToDrop(UUID isvId, String clientId) {
        return new Effect(isvId, "grant-drop:" + clientId, KIND, Map.of("clientId", clientId));
    }
}
