package dev.latchkey.lock.redis;

import dev.latchkey.lock.LockBackendException;
import dev.latchkey.lock.LockLease;
import dev.latchkey.lock.LockOptions;
import dev.latchkey.testkit.Closer;
import dev.latchkey.testkit.proxy.FaultProxy;
import dev.latchkey.testkit.redis.PrivateRedis;
import dev.latchkey.testkit.redis.RedisClients;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisPooled;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** Faults on a private Redis: restart, script flush, a crashed holder, a frozen server, a cut connection. */
class RedisLockFaultTest {

    private static final String PREFIX = "latchkey-fault:";
    private final Closer toClose = new Closer();
    private PrivateRedis redis;

    @BeforeEach
    void startRedis() {
        redis = toClose.add(PrivateRedis.start());
    }

    @AfterEach
    void stopAll() throws Exception {
        toClose.close();
    }

    private RedisLockProvider lettuceProvider(String uri, Duration timeout) {
        RedisClient client = RedisClients.lettuce(uri, timeout);
        toClose.add(() -> RedisClients.shutdown(client));
        RedisLockProvider p = RedisLockProvider.builder(client).keyPrefix(PREFIX).build();
        toClose.add(p);
        return p;
    }

    private RedisLockProvider jedisProvider(String uri, Duration timeout) {
        JedisPooled jedis = RedisClients.jedis(uri, timeout);
        toClose.add(jedis);
        RedisLockProvider p = RedisLockProvider.builder(jedis).keyPrefix(PREFIX).build();
        toClose.add(p);
        return p;
    }

    private void redisCli(String... command) {
        RedisClient raw = RedisClient.create(redis.uri());
        try (StatefulRedisConnection<String, String> c = raw.connect()) {
            c.sync().dispatch(io.lettuce.core.protocol.CommandType.valueOf(command[0]),
                    new io.lettuce.core.output.StatusOutput<>(io.lettuce.core.codec.StringCodec.UTF8),
                    new io.lettuce.core.protocol.CommandArgs<>(io.lettuce.core.codec.StringCodec.UTF8)
                            .add(command[1]));
        } finally {
            RedisClients.shutdown(raw);
        }
    }

    @Test
    void restart_withoutPersistence_nextFencingTokenIsLargerThanEveryEarlierOne() {
        RedisLockProvider provider = lettuceProvider(redis.uri(), Duration.ofSeconds(2));
        long highest = 0;
        for (int i = 0; i < 20; i++) {
            try (LockLease lease = provider.lock("restart").tryAcquire().orElseThrow()) {
                assertThat(lease.fencingToken()).isGreaterThan(highest);
                highest = lease.fencingToken();
            }
        }
        redis.restart();
        long before = highest;
        LockLease after = await().atMost(Duration.ofSeconds(20)).ignoreExceptions()
                .until(() -> provider.lock("restart").tryAcquire(), Optional::isPresent).orElseThrow();
        assertThat(after.fencingToken()).as("the first token after a restart that lost the counter")
                .isGreaterThan(before);
        after.release();
    }

    @Test
    void scriptFlush_changesNothingForCallers_onLettuceAndJedis() {
        for (RedisLockProvider provider : List.of(lettuceProvider(redis.uri(), Duration.ofSeconds(2)),
                jedisProvider(redis.uri(), Duration.ofSeconds(2)))) {
            LockLease first = provider.lock("flush").tryAcquire().orElseThrow();
            redisCli("SCRIPT", "FLUSH");
            assertThat(first.extend(Duration.ofSeconds(30))).as("extend after SCRIPT FLUSH").isTrue();
            first.release();
            redisCli("SCRIPT", "FLUSH");
            LockLease second = provider.lock("flush").tryAcquire().orElseThrow();
            assertThat(second.fencingToken()).isGreaterThan(first.fencingToken());
            redisCli("SCRIPT", "FLUSH");
            second.release();
            LockLease third = provider.lock("flush").tryAcquire().orElseThrow(
                    () -> new AssertionError("the lock was not free after a release past a flush"));
            third.release();
        }
    }

    @Test
    void holderInAnotherJvm_killedWithSigkill_freesTheLockAfterItsLease() throws Exception {
        long leaseMillis = 1_500;
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        Process holder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                HolderMain.class.getName(), redis.uri(), PREFIX, "crash", Long.toString(leaseMillis))
                .redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
            String line;
            do {
                line = out.readLine();
                assertThat(line).as("the holder JVM ended before holding the lock").isNotNull();
            } while (!line.startsWith("HELD "));
            long holderToken = Long.parseLong(line.substring(5).trim());
            holder.destroyForcibly(); // SIGKILL: no release, no shutdown hook
            assertThat(holder.waitFor(10, TimeUnit.SECONDS)).isTrue();

            RedisLockProvider provider = lettuceProvider(redis.uri(), Duration.ofSeconds(2));
            assertThat(provider.lock("crash").tryAcquire()).as("the dead holder's lease is still running").isEmpty();
            LockLease next = provider.lock("crash").tryAcquire(Duration.ofSeconds(10)).orElseThrow(
                    () -> new AssertionError("the dead holder's lock was not freed by its lease"));
            assertThat(next.fencingToken()).isGreaterThan(holderToken);
            next.release();
        } finally {
            holder.destroyForcibly();
        }
    }

    @Test
    void pausedRedis_makesAcquireThrowLockBackendExceptionInBoundedTime_andWorksAfterResume() {
        RedisLockProvider lettuce = lettuceProvider(redis.uri(), Duration.ofMillis(500));
        RedisLockProvider jedis = jedisProvider(redis.uri(), Duration.ofMillis(500));
        LockLease held = lettuce.lock("paused-held").tryAcquire().orElseThrow();
        redis.pause();
        try {
            for (RedisLockProvider p : List.of(lettuce, jedis)) {
                assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
                    assertThatThrownBy(() -> p.lock("paused").tryAcquire())
                            .as("an acquire on a frozen server").isInstanceOf(LockBackendException.class);
                    assertThatThrownBy(() -> p.lock("paused").acquire(Duration.ofSeconds(1)))
                            .isInstanceOf(LockBackendException.class);
                });
            }
            assertTimeoutPreemptively(Duration.ofSeconds(10), () ->
                    assertThatThrownBy(() -> held.extend(Duration.ofSeconds(30))).isInstanceOf(LockBackendException.class));
        } finally {
            redis.resume();
        }
        // The attempts sent during the pause may run once the server continues: their grants are
        // orphans that end with their lease. A fresh name shows the provider works again.
        for (RedisLockProvider p : List.of(lettuce, jedis)) {
            LockLease lease = await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
                    .until(() -> p.lock("after-resume").tryAcquire(), Optional::isPresent).orElseThrow();
            lease.release();
        }
        held.release();
    }

    @Test
    void connectionCutDuringHold_neitherLosesTheLeaseNorGrantsItTwice() throws Exception {
        try (FaultProxy proxy = FaultProxy.start(redis.host(), redis.port())) {
            RedisLockProvider viaProxy = lettuceProvider("redis://" + proxy.host() + ":" + proxy.port(), Duration.ofSeconds(1));
            RedisLockProvider direct = lettuceProvider(redis.uri(), Duration.ofSeconds(1));
            LockOptions renewing = LockOptions.builder().leaseTime(Duration.ofMillis(900)).autoRenew(true).build();
            LockLease lease = viaProxy.lock("cut", renewing).tryAcquire().orElseThrow();
            for (int i = 0; i < 3; i++) {
                proxy.cutAll();
                Thread.sleep(400);
                assertThat(direct.lock("cut").tryAcquire()).as("a second grant while the holder's connection was cut")
                        .isEmpty();
            }
            Thread.sleep(1_000); // more than a lease time after the last cut: renewal came back
            assertThat(lease.isHeld()).as("the lease after its connection was cut and restored").isTrue();
            assertThat(direct.lock("cut").tryAcquire()).as("a second grant after the cuts").isEmpty();
            lease.release();
            assertThat(direct.lock("cut").tryAcquire()).as("the lock after the holder released it").isPresent();
        }
    }
}
