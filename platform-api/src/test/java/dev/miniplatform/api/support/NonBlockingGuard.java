package dev.miniplatform.api.support;

import reactor.blockhound.BlockHound;
import reactor.blockhound.BlockingMethod;
import reactor.blockhound.BlockingOperationError;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Installs BlockHound once per test JVM: any blocking call on a Reactor non-blocking thread (Netty event loops,
 * the parallel scheduler) then fails the request it happens in, and so the test. Each allowance says why.
 * <p>
 * One kind of "blocking" is reported instead of thrown: a thread waiting its turn on a mutual-exclusion lock of
 * {@code java.util.concurrent.locks} (ReentrantLock, ReentrantReadWriteLock, StampedLock). Libraries guard
 * microsecond critical sections with them (Netty's adaptive buffer allocator, Logback, Jackson, Lettuce), and
 * BlockHound sees a wait only when two threads happen to meet there: a race, not I/O. Thrown from inside the
 * library, the error turned a correct answer into a 500 (Netty's {@code AdaptivePoolingAllocator} growing its
 * magazines under a StampedLock, once in a clean-clone run) or left the library's own state half-updated (Lettuce).
 * BlockHound does not see {@code synchronized} at all, so this treats both kinds of mutex alike. Waiting for I/O,
 * sleep, a future, a latch, a queue or a lock's condition still throws. Each reported site is logged once and
 * counted in {@link #contendedLocks()}.
 */
public final class NonBlockingGuard {

    private static final Set<String> LOCK_MACHINERY = Set.of(
            "jdk.internal.misc.Unsafe",
            "java.util.concurrent.locks.LockSupport",
            "java.util.concurrent.locks.AbstractQueuedSynchronizer",
            "java.util.concurrent.locks.AbstractQueuedLongSynchronizer");

    private static final List<String> MUTEXES = List.of(
            "java.util.concurrent.locks.ReentrantLock",
            "java.util.concurrent.locks.ReentrantReadWriteLock",
            "java.util.concurrent.locks.StampedLock");

    private static final Map<String, AtomicLong> CONTENDED = new ConcurrentHashMap<>();

    private static boolean installed;

    private NonBlockingGuard() {
    }

    public static synchronized void install() {
        if (installed) {
            return;
        }
        BlockHound.install(builder -> builder
                .blockingMethodCallback(NonBlockingGuard::onBlockingCall)
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

    /** Sites (the lock's caller) where a non-blocking thread waited for a mutex, with how often. */
    public static Map<String, Long> contendedLocks() {
        return CONTENDED.entrySet().stream()
                .collect(java.util.stream.Collectors.toUnmodifiableMap(Map.Entry::getKey, e -> e.getValue().get()));
    }

    private static void onBlockingCall(BlockingMethod method) {
        Optional<String> mutexCaller = mutexCaller();
        if (mutexCaller.isEmpty()) {
            throw new BlockingOperationError(method);
        }
        AtomicLong seen = CONTENDED.computeIfAbsent(mutexCaller.get(), site -> new AtomicLong());
        if (seen.getAndIncrement() == 0) {
            System.err.printf("NonBlockingGuard: %s waited for a lock at %s (a mutex, reported, not failed)%n",
                    Thread.currentThread().getName(), mutexCaller.get());
        }
    }

    /**
     * The frame that asked for a mutex, when this blocking call is a wait for one: below the park and the queue
     * machinery, the next frame is the lock's own acquire method. Anything else (a condition, latch, future) is empty.
     */
    private static Optional<String> mutexCaller() {
        List<StackWalker.StackFrame> frames = StackWalker.getInstance().walk(stream -> stream
                .dropWhile(frame -> !LOCK_MACHINERY.contains(frame.getClassName()))
                .dropWhile(frame -> LOCK_MACHINERY.contains(frame.getClassName()))
                .limit(4)
                .toList());
        if (frames.isEmpty() || !isMutex(frames.getFirst().getClassName())) {
            return Optional.empty();
        }
        return frames.stream()
                .dropWhile(frame -> isMutex(frame.getClassName()))
                .findFirst()
                .map(frame -> frame.getClassName() + "." + frame.getMethodName());
    }

    private static boolean isMutex(String className) {
        return MUTEXES.stream().anyMatch(mutex -> className.equals(mutex) || className.startsWith(mutex + "$"));
    }
}
