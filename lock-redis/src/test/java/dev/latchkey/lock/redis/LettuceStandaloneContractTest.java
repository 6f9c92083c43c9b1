package dev.latchkey.lock.redis;

import dev.latchkey.lock.LockProvider;
import dev.latchkey.testkit.lock.LockContract;
import dev.latchkey.testkit.redis.RedisClients;
import dev.latchkey.testkit.redis.RedisServers;
import io.lettuce.core.RedisClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.util.UUID;

/** The lock contract on Lettuce against a standalone Redis. */
class LettuceStandaloneContractTest extends LockContract {

    private static final String PREFIX = "latchkey-test:" + UUID.randomUUID() + ":";
    private static RedisClient client;

    @BeforeAll
    static void connect() {
        client = RedisClients.lettuce(RedisServers.sharedUri(), RedisClients.TIMEOUT);
    }

    @AfterAll
    static void disconnect() {
        RedisClients.shutdown(client);
    }

    @Override
    protected LockProvider newProvider() {
        return RedisLockProvider.builder(client).keyPrefix(PREFIX).build();
    }
}
