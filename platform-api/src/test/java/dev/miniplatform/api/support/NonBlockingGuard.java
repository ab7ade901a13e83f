package dev.miniplatform.api.support;

import reactor.blockhound.BlockHound;

/**
 * Installs BlockHound once per test JVM: any blocking call on a Reactor non-blocking thread (Netty event loops,
 * the parallel scheduler) then fails the request it happens in, and so the test. Each allowance says why.
 */
public final class NonBlockingGuard {

    private static boolean installed;

    private NonBlockingGuard() {
    }

    public static synchronized void install() {
        if (installed) {
            return;
        }
        BlockHound.install(builder -> builder
                // Logback appends under a lock held for microseconds; contention is not I/O wait.
                .allowBlockingCallsInside("ch.qos.logback.core.OutputStreamAppender", "writeBytes")
                .allowBlockingCallsInside("ch.qos.logback.classic.Logger", "callAppenders")
                // SecureRandom seeds itself from /dev/urandom once per JVM, then never reads again.
                .allowBlockingCallsInside("java.security.SecureRandom", "nextBytes")
                .allowBlockingCallsInside("java.util.UUID", "randomUUID")
                // springdoc scans the class path once per locale to build /v3/api-docs, then serves it from its
                // cache; the default locale's document is built at start-up (springdoc.pre-loading-enabled).
                .allowBlockingCallsInside("org.springdoc.api.AbstractOpenApiResource", "getOpenApi")
                // Jackson builds each type's deserializer once, under a lock; two threads asking for the same new
                // type at once wait for each other for that microsecond build (seen once in a clean-clone run)
                .allowBlockingCallsInside("tools.jackson.databind.deser.DeserializerCache", "_createAndCacheValueDeserializer")
                // Lettuce guards each endpoint's writers with a lock held for a counter update; it is contended only
                // while a connection is being reset (Redis down). An error thrown from inside its lock/unlock leaves
                // the lock's counters inconsistent and the event loop spinning forever (seen when Redis is killed).
                .allowBlockingCallsInside("io.lettuce.core.protocol.SharedLock", "incrementWriters")
                .allowBlockingCallsInside("io.lettuce.core.protocol.SharedLock", "decrementWriters")
                .allowBlockingCallsInside("io.lettuce.core.protocol.SharedLock", "doExclusive"));
        installed = true;
    }
}
