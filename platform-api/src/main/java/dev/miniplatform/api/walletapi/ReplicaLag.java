package dev.miniplatform.api.walletapi;

import java.time.Duration;
import java.util.ArrayDeque;

/**
 * How far behind the replica is, in time: how long ago the primary had written WAL that the replica has still not
 * replayed. Measured from the probes' pairs (primary's position now, replica's replayed position now), so it is right
 * on an idle primary (where "now minus the last replayed commit's time" grows without anything to replay) and on a
 * replica cut off from its primary (where "received minus replayed" stays zero while it falls behind).
 * Not thread-safe: one probe loop feeds it.
 */
final class ReplicaLag {

    private static final int MAX_SAMPLES = 1024;

    /** A position the primary had reached at a time, not yet replayed by the replica; oldest first. */
    private record Sample(long nanos, Lsn primary) {
    }

    private final ArrayDeque<Sample> unreplayed = new ArrayDeque<>();

    /** Records one probe and answers the lag it shows. */
    Duration observe(long nanos, Lsn primary, Lsn replayed) {
        Sample newest = unreplayed.peekLast();
        if (newest == null || primary.compareTo(newest.primary()) > 0) {
            unreplayed.addLast(new Sample(nanos, primary));
        }
        while (!unreplayed.isEmpty() && replayed.reached(unreplayed.peekFirst().primary())) {
            unreplayed.removeFirst();
        }
        if (unreplayed.size() > MAX_SAMPLES) {
            // keep the oldest (it dates the lag) and forget one after it: the lag only reads the oldest
            Sample oldest = unreplayed.removeFirst();
            unreplayed.removeFirst();
            unreplayed.addFirst(oldest);
        }
        Sample oldest = unreplayed.peekFirst();
        return oldest == null ? Duration.ZERO : Duration.ofNanos(nanos - oldest.nanos());
    }
}
