package dev.miniplatform.api.walletapi;

import dev.miniplatform.api.support.Node;

/** What a node in this JVM makes of its PostgreSQL replica, for tests outside this package (the cluster fault test). */
public final class ReplicaState {

    private ReplicaState() {
    }

    /** Whether the node sends wallet reads to the replica now (reachable, not too far behind). */
    public static boolean usable(Node node) {
        return node.bean(CatalogReplica.class).usable();
    }

    /** Wallet reads the node has answered from the replica so far. */
    public static long replicaReads(Node node) {
        return node.bean(WalletTransactions.class).replicaReadCount();
    }
}
