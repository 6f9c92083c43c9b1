package dev.latchkey.lock.redis.internal;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class RedisKeysTest {

    private final RedisKeys keys = new RedisKeys("latchkey:");

    @Test
    void slot_matchesRedisClusterKeySlot() {
        // Values from CLUSTER KEYSLOT on Redis 7.
        assertThat(RedisKeys.slot("foo")).isEqualTo(12182);
        assertThat(RedisKeys.slot("123456789")).isEqualTo(12739);
    }

    @Test
    void keysOfOneName_shareOneHashTag_evenWhenTheNameHasBraces() {
        for (String name : List.of("plain", "}", "{", "a}b{c", "{x}", "%7D", "%")) {
            for (String key : keys.acquireKeys(name)) {
                int open = key.indexOf('{');
                int close = key.indexOf('}', open + 1);
                assertThat(key.substring(open + 1, close)).as("hash tag of %s for name %s", key, name)
                        .isEqualTo(RedisKeys.tag(name)).isNotEmpty().doesNotContain("{", "}");
            }
        }
    }

    @Test
    void escaping_keepsDistinctNamesDistinct() {
        List<String> names = List.of("}", "%7D", "%257D", "{", "%7B", "%", "%25", "a", "a}");
        Set<String> seen = new HashSet<>();
        for (String name : names) {
            assertThat(seen.add(keys.lock(name))).as("key of %s collides", name).isTrue();
        }
    }
}
