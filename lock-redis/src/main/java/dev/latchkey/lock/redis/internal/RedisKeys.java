package dev.latchkey.lock.redis.internal;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The keys of one lock: {@code <prefix>{<name>}} (the lock), {@code ...:fence} (fencing counter),
 * {@code ...:queue} and {@code ...:waiters} (hand-off queue). The name sits in a hash tag, so all
 * keys of a lock share a Cluster slot and one script can touch them. Braces and {@code %} in the
 * name are percent-escaped: a brace inside the tag would end it early (a name "}" would hash its
 * keys to different slots), and the escape keeps distinct names distinct.
 */
public final class RedisKeys {

    private final String prefix;

    public RedisKeys(String prefix) {
        this.prefix = prefix;
    }

    /** The prefix, for messages and channel names. */
    public String prefix() {
        return prefix;
    }

    /** The hash tag of {@code name}, escaped. */
    static String tag(String name) {
        if (name.indexOf('{') < 0 && name.indexOf('}') < 0 && name.indexOf('%') < 0) {
            return name;
        }
        StringBuilder b = new StringBuilder(name.length() + 8);
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            switch (c) {
                case '%' -> b.append("%25");
                case '{' -> b.append("%7B");
                case '}' -> b.append("%7D");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /** The lock key of {@code name}. */
    public String lock(String name) {
        return prefix + "{" + tag(name) + "}";
    }

    /** Lock, fencing counter, queue, registrations: the KEYS of acquire.lua. */
    public List<String> acquireKeys(String name) {
        String base = lock(name);
        return List.of(base, base + ":fence", base + ":queue", base + ":waiters");
    }

    /** Lock, fencing counter, queue, registrations: the KEYS of release.lua (a release may grant). */
    public List<String> releaseKeys(String name) {
        return acquireKeys(name);
    }

    /** The Cluster slot of every key of {@code name}: CRC16 (XMODEM) of the tag, mod 16384. */
    public static int slot(String name) {
        byte[] bytes = tag(name).getBytes(StandardCharsets.UTF_8);
        int crc = 0;
        for (byte value : bytes) {
            crc ^= (value & 0xFF) << 8;
            for (int i = 0; i < 8; i++) {
                crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
            }
        }
        return (crc & 0xFFFF) & 16383;
    }
}
