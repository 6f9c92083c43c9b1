package dev.latchkey.lock.redis.internal;

import dev.latchkey.lock.LockBackendException;
import dev.latchkey.lock.redis.spi.RedisConnector;
import dev.latchkey.lock.redis.spi.RedisScript;
import dev.latchkey.lock.spi.AcquireResult;
import dev.latchkey.lock.spi.LateWakes;
import dev.latchkey.lock.spi.LockBackend;
import dev.latchkey.lock.spi.NameDeadlines;
import dev.latchkey.lock.spi.ReleaseSignals;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The Redis token lock as a {@link LockBackend}: every operation is one script call.
 *
 * <p>Waiting hands off instead of racing. A waiter (an owner token that
 * {@linkplain #subscribe(String, String) subscribed}) is queued on the server by its failed
 * attempt, atomically with the check that found the lock held, so no release can slip between
 * the two. A release hands the lock to the oldest live waiter and publishes on that waiter's
 * provider channel: exactly one waiter in the whole fleet wakes.
 * <ul>
 * <li>On a standalone server a single-name waiter is <em>granted</em> the lock: the release sets
 *     it for the waiter's own lease with a new fencing token and publishes that token, and the
 *     waiter holds the lock without another round trip. Its lease counts from its latest attempt,
 *     which was sent before the grant (the attempt's fencing floor proves it; see
 *     {@code acquire.lua}). A grant is only made when PUBLISH reaches a subscriber, so a provider
 *     whose process died (its connection closed) is skipped, never left holding the lock.</li>
 * <li>In Cluster (where PUBLISH cannot count the subscribers of another node) and for multi-lock
 *     waiters, the release leaves a short <em>claim</em> that the waiter confirms by its next
 *     attempt; a claim nobody confirms expires after the hand-off timeout.</li>
 * </ul>
 * A waiter that gives up withdraws, and passes on what it got meanwhile. An attempt whose reply
 * timed out may still reach Redis later and queue its waiter after it gave up: a grant to such a
 * waiter (remembered for {@link #GAVE_UP_NANOS}) is given back by its provider at once, instead of
 * sitting on the lock for the waiter's lease. A lost message or a
 * server restart costs at most a poll interval (the waiter's next attempt finds and confirms its
 * grant), and safety never rests on a message: every grant is made by a compare on the server.
 * The price of a grant: a waiter whose host vanished without closing its connection (a power cut,
 * a partition) in the short life of its registration (three poll intervals) can be granted the
 * lock and keep it for its lease, as a holder that vanished would.
 *
 * <p>Each provider subscribes to one channel of its own, once, when it is built: so every waiter is
 * subscribed before the attempt that queues it, and subscribing costs no I/O. A waiting acquire
 * therefore {@linkplain #subscribeBeforeFirstAttempt() subscribes before its first attempt}, which
 * queues it at once: a contended acquisition costs two commands on a standalone server (the
 * attempt that queues, the release) and three with a claim (plus the confirm), an uncontended one
 * two.
 *
 * <p>With a hand-off delay ({@code handOffAfter}), a release by a provider that takes the name
 * back in a loop (it attempted the name within {@link #LATE_WAKE_NANOS} of releasing it, in the
 * last {@link #LOOPING_NANOS}) hands the lock on only to a waiter queued at least that long (on the
 * server's clock); while every waiter is younger it leaves the lock free for whoever asks first,
 * which is mostly the releaser asking again at once: two commands per acquisition and nobody woken.
 * Any other release hands on at once. The release reports when the oldest waiter
 * reaches the delay; until then this provider's releases of that name skip the queue altogether
 * (the plain compare-and-delete), and after each such release {@link LateWakes} hands the lock to
 * the oldest waiter if this provider has not taken it back within {@link #LATE_WAKE_NANOS}.
 */
public final class RedisLockBackend implements LockBackend, ReleaseSignals {

    private static final Logger log = LoggerFactory.getLogger(RedisLockBackend.class);

    static final RedisScript ACQUIRE = RedisScript.fromResource(RedisLockBackend.class, "acquire.lua");
    static final RedisScript ACQUIRE_ALL = RedisScript.fromResource(RedisLockBackend.class, "acquire_all.lua");
    static final RedisScript RELEASE = RedisScript.fromResource(RedisLockBackend.class, "release.lua");
    static final RedisScript EXTEND = RedisScript.fromResource(RedisLockBackend.class, "extend.lua");

    /** Fencing counters live a day past their last jump to the clock; the clock keeps tokens rising after. */
    static final long FENCE_TTL_MILLIS = TimeUnit.DAYS.toMillis(1);

    /**
     * How long after a release that left younger waiters queued the lock may stay free before this
     * provider hands it to the oldest of them: well above the time a releaser takes to ask again.
     */
    static final long LATE_WAKE_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    /**
     * How long a name stays "taken back in a loop" after this provider last attempted it within
     * {@link #LATE_WAKE_NANOS} of releasing it. Only such a name's releases may leave the lock free
     * for the releaser; any other release hands on at once, so a lone waiter is not made to wait
     * for the late wake.
     */
    static final long LOOPING_NANOS = TimeUnit.SECONDS.toNanos(1);

    /**
     * How long this provider remembers a waiter that gave up without the lock, to give back a grant
     * a release still makes to it: an attempt that timed out on the client may reach Redis later
     * and queue it after all.
     */
    static final long GAVE_UP_NANOS = TimeUnit.MINUTES.toNanos(1);

    /** Beyond this many remembered waiters the memory starts afresh. */
    private static final int GAVE_UP_MAX = 4096;

    private static final byte[] ZERO = {'0'};
    private static final byte[] ONE = {'1'};
    private static final byte[] GRANT = {'g'};
    private static final byte[] CLAIM = {'c'};
    /** As {@link #GRANT} and {@link #CLAIM}, for a waiter that no earlier attempt can have registered. */
    private static final byte[] FIRST_GRANT = {'G'};
    private static final byte[] FIRST_CLAIM = {'C'};
    private static final byte[] PLAIN = {'p'};
    private static final byte[] WAKE = {'w'};
    private static final byte[] NO_OWNER = {'-'};
    private static final byte[] FENCE_TTL = bytes(Long.toString(FENCE_TTL_MILLIS));

    private final RedisConnector connector;
    private final RedisKeys keys;
    private final String channel;
    private final byte[] channelBytes;
    private final byte[] registrationTtl;
    private final long handoffTimeoutMillis;
    private final byte[] handOffAfterMicros;
    /** Null without a hand-off delay: then every release hands on at once. */
    private final LateWakes lateWakes;
    /** Names whose queued waiters are all younger than the delay, until the oldest reaches it. */
    private final NameDeadlines youngWaiters = new NameDeadlines();
    /** Names this provider released within the last {@link #LATE_WAKE_NANOS}. */
    private final NameDeadlines justReleased = new NameDeadlines();
    /** Names this provider takes back in a loop (see {@link #LOOPING_NANOS}). */
    private final NameDeadlines looping = new NameDeadlines();
    private final Map<String, Waiter> waiters = new ConcurrentHashMap<>();
    /** Owner token -> lock name and deadline ({@link System#nanoTime()}) of waiters that gave up. */
    private final Map<String, GaveUp> gaveUp = new ConcurrentHashMap<>();
    /** Gives back grants made to waiters that gave up: off the subscriber's thread, which must not block. */
    private final ThreadPoolExecutor givingBack;
    private final ReentrantLock subscribeLock = new ReentrantLock();
    private volatile RedisConnector.Subscription subscription;
    private volatile boolean closed;

    /**
     * @param pollMillis the provider's longest wait between a waiter's attempts: registrations
     *     live three times that, so a live waiter always renews its place before it expires
     * @param handoffTimeoutMillis how long a handed-off lock waits for its waiter to confirm
     * @param handOffAfterMicros how long a waiter must have been queued before a release hands it
     *     the lock; 0 hands on at every release
     */
    public RedisLockBackend(RedisConnector connector, String prefix, long pollMillis, long handoffTimeoutMillis,
                            long handOffAfterMicros) {
        this.connector = connector;
        this.keys = new RedisKeys(prefix);
        this.channel = prefix + "handoff:" + Long.toHexString(ThreadLocalRandom.current().nextLong())
                + Long.toHexString(ThreadLocalRandom.current().nextLong());
        this.channelBytes = bytes(channel);
        this.registrationTtl = bytes(Long.toString(3 * pollMillis + 100));
        this.handoffTimeoutMillis = handoffTimeoutMillis;
        this.handOffAfterMicros = bytes(Long.toString(handOffAfterMicros));
        this.lateWakes = handOffAfterMicros == 0 ? null
                : new LateWakes("latchkey-redis-late-wakes", LATE_WAKE_NANOS, this::wake);
        this.givingBack = new ThreadPoolExecutor(0, 1, 1, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "latchkey-redis-give-back");
            t.setDaemon(true);
            return t;
        });
    }

    /** The connector, for tests and the idempotency module. */
    public RedisConnector connector() {
        return connector;
    }

    /** The key layout. */
    public RedisKeys keys() {
        return keys;
    }

    @Override
    public AcquireResult tryAcquire(String name, String ownerToken, Duration leaseTime) {
        Waiter waiter = waiters.get(ownerToken);
        boolean queue = waiter != null && waiter.name.equals(name);
        if (lateWakes != null && justReleased.holds(name)) {
            looping.mark(name, LOOPING_NANOS);
        }
        long lease = leaseTime.toMillis();
        // Standalone, a release grants a single-name waiter the lock outright. In Cluster PUBLISH
        // cannot tell whether the waiter's provider still listens, so it leaves a claim to confirm.
        // A waiter's first attempt has no registration to clean up when it takes the lock.
        byte[] mode = ZERO;
        if (queue) {
            boolean first = !waiter.queued;
            mode = connector.clustered() ? (first ? FIRST_CLAIM : CLAIM) : (first ? FIRST_GRANT : GRANT);
        }
        List<?> r = (List<?>) connector.eval(ACQUIRE, keys.acquireKeys(name), List.of(
                bytes(ownerToken), bytes(Long.toString(lease)), FENCE_TTL,
                mode, registrationTtl, bytes(Long.toString(Math.min(lease, handoffTimeoutMillis))),
                channelBytes));
        boolean acquired = number(r.get(0)) == 1;
        if (acquired && lateWakes != null) {
            lateWakes.acquired(name);
        }
        if (queue) {
            waiter.queued = !acquired;
            waiter.took = acquired;
            if (!acquired && r.size() > 2) {
                waiter.grantFloor = Long.parseLong(new String((byte[]) r.get(2), StandardCharsets.US_ASCII));
            }
        }
        return acquired ? AcquireResult.acquired(number(r.get(1)), null) : AcquireResult.held(name, number(r.get(1)));
    }

    @Override
    public AcquireResult tryAcquireAll(List<String> names, String ownerToken, Duration leaseTime) {
        if (connector.clustered()) {
            int slot = RedisKeys.slot(names.get(0));
            for (String n : names) {
                if (RedisKeys.slot(n) != slot) {
                    return null; // not one script: the engine takes them in order with rollback
                }
            }
        }
        Waiter waiter = waiters.get(ownerToken);
        int queueAt = waiter == null ? 0 : names.indexOf(waiter.name) + 1;
        List<String> k = new ArrayList<>(names.size() * 4);
        for (String n : names) {
            k.addAll(keys.acquireKeys(n));
        }
        long lease = leaseTime.toMillis();
        List<?> r = (List<?>) connector.eval(ACQUIRE_ALL, k, List.of(
                bytes(ownerToken), bytes(Long.toString(lease)), bytes(Long.toString(FENCE_TTL_MILLIS)),
                bytes(Integer.toString(queueAt)), registrationTtl,
                bytes(Long.toString(Math.min(lease, handoffTimeoutMillis))), channelBytes));
        if (number(r.get(0)) == 1) {
            if (queueAt > 0) {
                waiter.queued = false;
            }
            if (waiter != null) {
                waiter.took = true;
            }
            if (lateWakes != null) {
                names.forEach(lateWakes::acquired);
            }
            Map<String, Long> tokens = new LinkedHashMap<>();
            for (int i = 0; i < names.size(); i++) {
                tokens.put(names.get(i), number(r.get(i + 1)));
            }
            return AcquireResult.acquiredAll(tokens, null);
        }
        int blocked = (int) number(r.get(2));
        if (queueAt > 0 && queueAt == blocked) {
            waiter.queued = true;
        }
        return AcquireResult.held(names.get(blocked - 1), number(r.get(1)));
    }

    @Override
    public boolean release(String name, String ownerToken, Object handle) {
        // Only a releaser that takes the name back in a loop keeps it from young waiters.
        boolean keep = lateWakes != null && looping.holds(name);
        boolean plain = keep && youngWaiters.holds(name);
        // The plain compare-and-delete touches the lock key only: it is called with that key alone.
        Object r = plain
                ? connector.eval(RELEASE, List.of(keys.lock(name)), List.of(bytes(ownerToken), PLAIN))
                : connector.eval(RELEASE, keys.releaseKeys(name),
                        List.of(bytes(ownerToken), ZERO, FENCE_TTL, keep ? handOffAfterMicros : ZERO));
        if (lateWakes == null) {
            return number(r) == 1;
        }
        justReleased.mark(name, LATE_WAKE_NANOS);
        if (r instanceof List<?> young) {
            // Released and left free: every waiter is younger than the delay.
            youngWaiters.mark(name, TimeUnit.MILLISECONDS.toNanos(number(young.get(1))));
            lateWakes.released(name);
            return true;
        }
        boolean released = number(r) == 1;
        if (plain && released) {
            lateWakes.released(name);
        }
        return released;
    }

    /** This provider left {@code name} free with waiters queued and has not taken it back: hand it on. */
    private void wake(String name) {
        try {
            connector.eval(RELEASE, keys.releaseKeys(name), List.of(NO_OWNER, WAKE, FENCE_TTL, ZERO));
        } catch (RuntimeException e) {
            log.debug("handing '{}' to a waiter after a release failed; the waiter's own poll takes it", name, e);
        }
    }

    @Override
    public boolean extend(String name, String ownerToken, Object handle, Duration leaseTime) {
        return number(connector.eval(EXTEND, List.of(keys.lock(name)),
                List.of(bytes(ownerToken), bytes(Long.toString(leaseTime.toMillis()))))) == 1;
    }

    @Override
    public ReleaseSignals releaseSignals() {
        return this;
    }

    /** The provider's channel is open from the start: subscribing a waiter is a map entry. */
    @Override
    public boolean subscribeBeforeFirstAttempt() {
        return true;
    }

    /** Without an owner token nothing can be handed to the caller: it waits for its poll or the lease. */
    @Override
    public Subscription subscribe(String name) {
        return Subscription.NONE;
    }

    @Override
    public Subscription subscribe(String name, String ownerToken) {
        ensureSubscribed();
        Waiter w = new Waiter(name, ownerToken);
        waiters.put(ownerToken, w);
        return w;
    }

    /**
     * Opens the provider's hand-off subscription now, so that waiting never opens a connection (a
     * connect cannot be interrupted cleanly, and would add a round trip to the first wait).
     *
     * @throws dev.latchkey.lock.LockBackendException if Redis does not confirm the subscription
     */
    public void start() {
        ensureSubscribed();
    }

    private void ensureSubscribed() {
        if (subscription != null) {
            return;
        }
        subscribeLock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("Redis lock backend is closed");
            }
            if (subscription == null) {
                subscription = connector.subscribe(channel, this::handedOff);
            }
        } finally {
            subscribeLock.unlock();
        }
    }

    /**
     * A release handed a lock on: {@code "<ownerToken>"} (a claim to confirm) or
     * {@code "<ownerToken> <fencingToken>"} (a grant). Wake that one waiter.
     */
    private void handedOff(String message) {
        int space = message.indexOf(' ');
        String owner = space < 0 ? message : message.substring(0, space);
        Waiter w = waiters.get(owner);
        if (w == null) {
            // It gave up meanwhile. Its withdrawal passes the lock on, unless the attempt that
            // queued it reached Redis only after the caller had stopped waiting for its reply: then
            // give the grant back (a claim expires by itself).
            if (space > 0) {
                giveBack(owner);
            }
            return;
        }
        if (space > 0) {
            try {
                w.grantedFence.set(Long.parseLong(message.substring(space + 1)));
            } catch (NumberFormatException e) {
                log.debug("ignoring a malformed hand-off message on {}: {}", channel, message);
            }
        }
        w.signal.release();
    }

    private void giveBack(String owner) {
        GaveUp g = gaveUp.remove(owner);
        if (g == null || System.nanoTime() - g.until > 0 || closed) {
            return;
        }
        try {
            givingBack.execute(() -> {
                try {
                    // Only the owner's token deletes the key; then the next live waiter is handed it.
                    connector.eval(RELEASE, keys.releaseKeys(g.name), List.of(bytes(owner), ZERO, FENCE_TTL, ZERO));
                } catch (RuntimeException e) {
                    log.debug("giving back '{}', granted to a waiter that gave up, failed; it frees at the end of "
                            + "its lease", g.name, e);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // Closing: the grant frees at the end of its lease.
        }
    }

    private void gaveUp(String name, String owner) {
        if (gaveUp.size() >= GAVE_UP_MAX) {
            long now = System.nanoTime();
            gaveUp.values().removeIf(g -> now - g.until > 0);
            if (gaveUp.size() >= GAVE_UP_MAX) {
                gaveUp.clear();
            }
        }
        gaveUp.put(owner, new GaveUp(name, System.nanoTime() + GAVE_UP_NANOS));
    }

    private record GaveUp(String name, long until) {
    }

    @Override
    public void close() {
        if (lateWakes != null) {
            lateWakes.close();
        }
        givingBack.shutdownNow();
        subscribeLock.lock();
        try {
            closed = true;
            if (subscription != null) {
                subscription.close();
            }
        } finally {
            subscribeLock.unlock();
        }
        connector.close();
    }

    private static long number(Object reply) {
        if (reply instanceof Long l) {
            return l;
        }
        throw new LockBackendException("unexpected reply from a Latchkey script: " + reply);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "RedisLockBackend[" + connector + ", prefix=" + keys.prefix() + "]";
    }

    /** One waiting acquire: woken only by a hand-off naming its token. */
    private final class Waiter implements Subscription {
        final String name;
        final String ownerToken;
        final Semaphore signal = new Semaphore(0);
        /** The fencing token of a grant a release published to this waiter, 0 for none. */
        final AtomicLong grantedFence = new AtomicLong();
        /** Grants above this were made after this waiter's latest attempt (see acquire.lua). */
        volatile long grantFloor = Long.MAX_VALUE;
        /** This waiter's latest attempt queued it on the server, and nothing has taken it off since. */
        volatile boolean queued;
        /** An attempt took the lock for this waiter, or a release granted it. */
        volatile boolean took;
        private volatile boolean done;

        Waiter(String name, String ownerToken) {
            this.name = name;
            this.ownerToken = ownerToken;
        }

        @Override
        public boolean await(long nanos) throws InterruptedException {
            if (signal.tryAcquire(Math.max(0, nanos), TimeUnit.NANOSECONDS)) {
                signal.drainPermits();
                return true;
            }
            return false;
        }

        /**
         * A grant counts only when it was made after the latest attempt (its fencing token is above
         * that attempt's floor): then that attempt's send time is a safe start for the lease. An
         * older grant is ignored; the next attempt finds it and confirms it, or it is gone.
         */
        @Override
        public AcquireResult handedOver() {
            long fence = grantedFence.getAndSet(0);
            if (fence == 0 || fence <= grantFloor) {
                return null;
            }
            queued = false; // the release took it off the queue; closing must not give the grant back
            took = true;
            if (lateWakes != null) {
                lateWakes.acquired(name);
            }
            return AcquireResult.acquired(fence, null);
        }

        @Override
        public void close() {
            if (done) {
                return;
            }
            done = true;
            if (!took) {
                gaveUp(name, ownerToken); // before it leaves the waiters: a grant meanwhile finds it in one map
            }
            waiters.remove(ownerToken, this);
            if (queued) {
                // Gave up while queued: leave the line, and pass on a claim handed over meanwhile.
                try {
                    connector.eval(RELEASE, keys.releaseKeys(name), List.of(bytes(ownerToken), ONE, FENCE_TTL, ZERO));
                } catch (RuntimeException e) {
                    log.debug("withdrawing a waiter of '{}' failed; its registration expires by itself", name, e);
                }
            }
        }
    }
}
