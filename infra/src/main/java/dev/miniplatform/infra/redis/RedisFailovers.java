package dev.miniplatform.infra.redis;

import io.lettuce.core.cluster.event.ClusterTopologyChangedEvent;
import io.lettuce.core.resource.ClientResources;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.Disposables;

/**
 * When the Redis Cluster this node talks to changed hands: Lettuce's topology refresh found other masters or slots
 * than before (a replica promoted after its master died, a node added or removed). Redis replicates asynchronously,
 * so a master that died may take writes with it that it had acknowledged; what a node kept because Redis said nothing
 * changed must not outlive that. Standalone Redis never reports one.
 */
@Component
public class RedisFailovers {

    private final ClientResources resources;

    RedisFailovers(ObjectProvider<ClientResources> resources) {
        this.resources = resources.getIfAvailable();
    }

    /** Runs {@code action} after every topology change from now on, until the returned handle is disposed. */
    public Disposable onTopologyChange(Runnable action) {
        if (resources == null) {
            return Disposables.disposed();
        }
        return resources.eventBus().get()
                .filter(ClusterTopologyChangedEvent.class::isInstance)
                .subscribe(event -> action.run());
    }
}
