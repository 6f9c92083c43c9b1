package dev.latchkey.lock.redis;

import dev.latchkey.lock.LockProvider;
import dev.latchkey.testkit.lock.LockContract;
import dev.latchkey.testkit.redis.RedisClients;
import dev.latchkey.testkit.redis.RedisCluster;
import dev.latchkey.testkit.redis.RedisServers;
import io.lettuce.core.cluster.RedisClusterClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.latchkey.lock.LockLease;
import dev.latchkey.lock.LockOptions;
import dev.latchkey.lock.redis.internal.RedisKeys;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The lock contract on Lettuce against a real 3-master Redis Cluster. */
class LettuceClusterContractTest extends LockContract {

    private static RedisCluster cluster;
    private static RedisClusterClient client;

    @BeforeAll
    static void start() {
        cluster = RedisServers.startCluster(3);
        client = RedisClients.lettuceCluster(cluster.uris());
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            RedisClients.shutdown(client);
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Override
    protected LockProvider newProvider() {
        return RedisLockProvider.builder(client).build();
    }

    @Test
    void waiter_isHandedTheLockByPubSubAcrossNodes_withoutPolling() throws Exception {
        try (RedisLockProvider holder = RedisLockProvider.builder(client).build();
             RedisLockProvider waiter = RedisLockProvider.builder(client).maxPollInterval(Duration.ofMinutes(10)).build()) {
            for (String name : new String[] {"handoff-a", "handoff-b", "handoff-c", "handoff-{}"}) {
                HandoffCheck.waiterIsHandedTheLockWithoutPolling(holder, waiter, uniqueName(name));
            }
        }
    }

    @Test
    void lockAll_namesOfOneSlot_areTakenAtomicallyWithOneTokenEach_andBlockAsOne() throws Exception {
        String base = uniqueName("slot");
        int slot = RedisKeys.slot(base);
        List<String> names = new ArrayList<>(List.of(base));
        for (int i = 0; names.size() < 3; i++) {
            if (RedisKeys.slot(base + "-" + i) == slot) {
                names.add(base + "-" + i);
            }
        }
        try (RedisLockProvider locks = RedisLockProvider.builder(client).build();
             RedisLockProvider other = RedisLockProvider.builder(client).build()) {
            LockLease all = locks.lockAll(names, LockOptions.defaults()).tryAcquire().orElseThrow();
            assertThat(all.fencingTokens()).containsOnlyKeys(names);
            for (String n : names) {
                assertThat(other.lock(n).tryAcquire()).as("'%s' while the multi-lock holds it", n).isEmpty();
            }
            all.release();
            LockLease blocker = other.lock(names.get(2)).tryAcquire().orElseThrow();
            assertThat(locks.lockAll(names, LockOptions.defaults()).tryAcquire()).as("a multi-lock with one name held")
                    .isEmpty();
            for (String n : names.subList(0, 2)) {
                LockLease free = other.lock(n).tryAcquire().orElseThrow(
                        () -> new AssertionError("a failed multi-lock left '" + n + "' held"));
                free.release();
            }
            blocker.release();
        }
    }
}
