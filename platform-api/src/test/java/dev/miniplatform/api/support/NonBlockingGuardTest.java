package dev.miniplatform.api.support;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.blockhound.BlockingOperationError;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.StampedLock;

import static org.assertj.core.api.Assertions.assertThat;

/** What the test suite's BlockHound fails on, and the lock contention it only reports. */
class NonBlockingGuardTest {

    @BeforeAll
    static void install() {
        NonBlockingGuard.install();
    }

    @Test
    void sleepingOnANonBlockingThreadFails() {
        StepVerifier.create(onParallel(() -> {
                    Thread.sleep(1);
                    return "slept";
                }))
                .expectError(BlockingOperationError.class)
                .verify(Duration.ofSeconds(10));
    }

    @Test
    void waitingForALatchOnANonBlockingThreadFails() {
        CountDownLatch never = new CountDownLatch(1);
        StepVerifier.create(onParallel(() -> never.await(50, TimeUnit.MILLISECONDS)))
                .expectError(BlockingOperationError.class)
                .verify(Duration.ofSeconds(10));
    }

    @Test
    void waitingOnALocksConditionOnANonBlockingThreadFails() {
        ReentrantLock lock = new ReentrantLock();
        StepVerifier.create(onParallel(() -> {
                    // no finally/unlock: the error leaves await with the lock given up, as it would a library's
                    lock.lock();
                    boolean signalled = lock.newCondition().await(50, TimeUnit.MILLISECONDS);
                    lock.unlock();
                    return signalled;
                }))
                .expectError(BlockingOperationError.class)
                .verify(Duration.ofSeconds(10));
    }

    @Test
    void aContendedReentrantLockIsReportedNotFailed() {
        ReentrantLock lock = new ReentrantLock();
        Mono<String> waiter = onParallel(() -> {
            lock.lock();
            lock.unlock();
            return "acquired";
        });

        lock.lock();
        try {
            StepVerifier.create(waiter)
                    .then(() -> releaseSoon(lock::unlock))
                    .expectNext("acquired")
                    .verifyComplete();
        } finally {
            if (lock.isHeldByCurrentThread()) {
                lock.unlock();
            }
        }

        assertThat(NonBlockingGuard.contendedLocks().keySet())
                .anyMatch(site -> site.startsWith(NonBlockingGuardTest.class.getName()));
    }

    /** The shape of Netty's AdaptivePoolingAllocator magazine swap that failed a clean-clone run with a 500. */
    @Test
    void aContendedStampedLockIsReportedNotFailed() {
        StampedLock lock = new StampedLock();
        long stamp = lock.writeLock();
        Mono<String> waiter = onParallel(() -> {
            lock.unlockWrite(lock.writeLock());
            return "acquired";
        });

        StepVerifier.create(waiter)
                .then(() -> releaseSoon(() -> lock.unlockWrite(stamp)))
                .expectNext("acquired")
                .verifyComplete();

        assertThat(NonBlockingGuard.contendedLocks().keySet())
                .anyMatch(site -> site.startsWith(NonBlockingGuardTest.class.getName()));
    }

    private static <T> Mono<T> onParallel(Callable<T> work) {
        return Mono.fromCallable(work)
                .subscribeOn(Schedulers.parallel());
    }

    /** Lets the parallel thread reach the lock and park before the holder lets go. */
    private static void releaseSoon(Runnable release) {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        release.run();
    }
}
