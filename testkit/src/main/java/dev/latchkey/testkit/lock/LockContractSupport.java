package dev.latchkey.testkit.lock;

import dev.latchkey.lock.LockLease;
import dev.latchkey.lock.LockProvider;
import dev.latchkey.lock.internal.ManagedLease;
import org.junit.jupiter.api.AfterEach;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.fail;

/**
 * The hooks a backend's subclass of {@link LockContract} supplies or overrides, and the utilities the
 * contract's tests share. Only {@link #newProvider()} is required.
 */
public abstract class LockContractSupport {

    private final List<LockProvider> created = new ArrayList<>();
    private final List<Thread> started = new ArrayList<>();

    /**
     * A new, independent provider on the backend under test, as another process would build it:
     * every provider returned during one test must see the same lock names. The contract closes
     * each one after the test (and may close some earlier: closing twice must be harmless).
     */
    protected abstract LockProvider newProvider();

    /** The lease time of tests that wait for a lease to run out. Default 300 ms. */
    protected Duration shortLease() {
        return Duration.ofMillis(300);
    }

    /** The lease time of auto-renewal tests: renewed every third of it. Default 600 ms. */
    protected Duration autoRenewLease() {
        return Duration.ofMillis(600);
    }

    /** A bound for anything that must happen "soon": far above any expected latency. Default 10 s. */
    protected Duration generousWait() {
        return Duration.ofSeconds(10);
    }

    /** Grants each of the 8 mutual-exclusion threads takes. Default 25 (200 in all). */
    protected int acquisitionsPerThread() {
        return 25;
    }

    /**
     * Whether a grant that is neither released nor extended ends when its lease time runs out on
     * the backend's clock. Default true. A backend whose grant lasts while a connection lives (JDBC
     * ROW mode) returns false: the expiry test then checks that the grant outlasts its lease time
     * instead, and the backend tests its own end-of-grant (the connection dying) itself.
     */
    protected boolean leasesExpireOnBackendClock() {
        return true;
    }

    /**
     * Ends {@code lease}'s grant on the backend behind the lease's back, as an operator, a dropped
     * connection or a forced expiry would; the lease object must not be told. The default frees
     * the grant through the backend SPI with the lease's own owner token, which works for every
     * provider built on {@link dev.latchkey.lock.spi.BackendLockProvider}; override it for other
     * providers (or to break the lease the backend's own way, e.g. deleting the Redis key).
     */
    protected void breakLease(LockProvider provider, LockLease lease) {
        if (lease instanceof ManagedLease managed) {
            managed.revokeOnBackend();
        } else {
            fail("breakLease(..) must be overridden for " + provider + ": its leases are not "
                    + ManagedLease.class.getName());
        }
    }

    /** The prefix of every lock name the contract uses; names get a random suffix. */
    protected String namePrefix() {
        return "latchkey-contract";
    }

    /** A provider that is closed after the test. */
    protected final LockProvider provider() {
        LockProvider p = newProvider();
        if (p == null) {
            fail("newProvider() returned null");
        }
        synchronized (created) {
            created.add(p);
        }
        return p;
    }

    /** A lock name unique to this run, since backends share servers between tests. */
    protected final String uniqueName(String label) {
        return namePrefix() + ":" + label + ":" + UUID.randomUUID().toString().substring(0, 13);
    }

    /** Runs {@code task} on a new daemon thread that the contract interrupts after the test. */
    protected final <T> Future<T> startThread(String threadName, Callable<T> task) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                result.complete(task.call());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        }, threadName);
        t.setDaemon(true);
        synchronized (started) {
            started.add(t);
        }
        t.start();
        return result;
    }

    /** The thread started under {@code threadName}, or null. */
    protected final Thread startedThread(String threadName) {
        synchronized (started) {
            for (Thread t : started) {
                if (t.getName().equals(threadName)) {
                    return t;
                }
            }
        }
        return null;
    }

    /**
     * Waits until {@code t} parks (a waiter asleep), or 2 s pass: a waiter blocked inside a driver
     * call shows as RUNNABLE, and then the test goes on after the 2 s.
     */
    protected static void awaitParked(Thread t) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        Thread.sleep(50);
        while (System.nanoTime() - end < 0) {
            Thread.State s = t.getState();
            if (s == Thread.State.WAITING || s == Thread.State.TIMED_WAITING) {
                return;
            }
            Thread.sleep(5);
        }
    }

    protected static void sleep(Duration d) throws InterruptedException {
        Thread.sleep(d.toMillis());
    }

    @AfterEach
    final void closeWhatTheContractCreated() {
        synchronized (started) {
            started.forEach(Thread::interrupt);
            started.clear();
        }
        RuntimeException failure = null;
        synchronized (created) {
            for (LockProvider p : created) {
                try {
                    p.close();
                } catch (RuntimeException e) {
                    if (failure == null) {
                        failure = e;
                    } else {
                        failure.addSuppressed(e);
                    }
                }
            }
            created.clear();
        }
        if (failure != null) {
            throw new AssertionError("closing a provider failed (close() must be idempotent)", failure);
        }
    }
}
