package dev.latchkey.lock.redis;

import dev.latchkey.lock.LockLease;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A waiter on a provider whose poll interval is ten minutes gets the lock after a release: only
 * the hand-off message can have woken it. Shared by the Cluster tests, where the message travels
 * from the releasing node through the cluster bus to the node the waiter's provider listens on.
 */
final class HandoffCheck {

    private HandoffCheck() {
    }

    static void waiterIsHandedTheLockWithoutPolling(RedisLockProvider holderSide, RedisLockProvider waiterSide,
                                                    String name) throws Exception {
        LockLease held = holderSide.lock(name).tryAcquire().orElseThrow();
        CompletableFuture<Optional<LockLease>> waiter = CompletableFuture.supplyAsync(() -> {
            try {
                return waiterSide.lock(name).tryAcquire(Duration.ofMinutes(5));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(300); // the waiter queues itself and sleeps
        held.release();
        LockLease got = waiter.get(60, TimeUnit.SECONDS)
                .orElseThrow(() -> new AssertionError("the waiter was not handed the lock"));
        assertThat(got.fencingToken()).isGreaterThan(held.fencingToken());
        got.release();
    }
}
