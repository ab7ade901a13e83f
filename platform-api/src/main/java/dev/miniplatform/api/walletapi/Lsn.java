package dev.miniplatform.api.walletapi;

/**
 * A position in PostgreSQL's write-ahead log ({@code pg_lsn}, written {@code 16/B374D848}): what a replica has replayed
 * up to, or what it must have replayed before its answer is as new as a change. Positions only grow.
 */
record Lsn(long position) implements Comparable<Lsn> {

    /** Every replica has replayed this much: no requirement. */
    static final Lsn ZERO = new Lsn(0);

    /** No replica is ever this far: read the primary. */
    static final Lsn UNREACHABLE = new Lsn(Long.MAX_VALUE);

    static Lsn parse(String text) {
        int slash = text.indexOf('/');
        if (slash < 1) {
            throw new IllegalArgumentException("not a WAL position: " + text);
        }
        return new Lsn(Long.parseUnsignedLong(text.substring(0, slash), 16) << 32
                | Long.parseUnsignedLong(text.substring(slash + 1), 16));
    }

    boolean reached(Lsn required) {
        return position >= required.position;
    }

    @Override
    public int compareTo(Lsn other) {
        return Long.compare(position, other.position);
    }

    @Override
    public String toString() {
        return Long.toHexString(position >>> 32).toUpperCase() + "/" + Long.toHexString(position & 0xFFFFFFFFL).toUpperCase();
    }
}
