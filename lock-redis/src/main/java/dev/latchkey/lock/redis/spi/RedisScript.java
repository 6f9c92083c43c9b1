package dev.latchkey.lock.redis.spi;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A Lua script run by {@link RedisConnector#eval}: its source, loaded from a {@code .lua} class-path
 * resource, and its SHA-1 digest, computed here so that the first call can already be an
 * {@code EVALSHA} (Redis names a script by the SHA-1 of its exact text).
 *
 * <p>Every script starts with a header of {@code --} comment lines that names each {@code KEYS[i]}
 * and {@code ARGV[i]} it reads; {@link #fromResource} refuses a script without one, so a script's
 * calling convention is always written next to its code. Instances are immutable and thread-safe.
 *
 * @since 0.1
 */
public final class RedisScript {

    private final String name;
    private final byte[] source;
    private final String sha1;

    private RedisScript(String name, byte[] source) {
        this.name = name;
        this.source = source;
        this.sha1 = sha1Hex(source);
    }

    /**
     * Loads the script {@code resource} relative to {@code anchor}'s package (as
     * {@link Class#getResourceAsStream(String)} does).
     *
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if the resource does not exist or its header does not name
     *     {@code KEYS} and {@code ARGV} in leading {@code --} comment lines
     */
    public static RedisScript fromResource(Class<?> anchor, String resource) {
        Objects.requireNonNull(anchor, "anchor");
        Objects.requireNonNull(resource, "resource");
        try (InputStream in = anchor.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no Lua script resource '" + resource + "' next to " + anchor.getName());
            }
            byte[] source = in.readAllBytes();
            checkHeader(resource, new String(source, StandardCharsets.UTF_8));
            return new RedisScript(resource, source);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read Lua script resource '" + resource + "'", e);
        }
    }

    private static void checkHeader(String resource, String text) {
        boolean keys = false;
        boolean argv = false;
        for (String line : text.split("\n")) {
            String l = line.strip();
            if (!l.startsWith("--")) {
                break;
            }
            keys |= l.contains("KEYS[");
            argv |= l.contains("ARGV[");
        }
        if (!keys || !argv) {
            throw new IllegalArgumentException("Lua script '" + resource
                    + "' must start with '--' comment lines naming its KEYS[..] and ARGV[..]");
        }
    }

    /** The resource name, for messages. */
    public String name() {
        return name;
    }

    /** The SHA-1 of the source, lower-case hex, as {@code SCRIPT LOAD} would return it. */
    public String sha1() {
        return sha1;
    }

    /** The script's source in UTF-8 (a copy). */
    public byte[] source() {
        return source.clone();
    }

    /** The script's source as text. */
    public String sourceText() {
        return new String(source, StandardCharsets.UTF_8);
    }

    private static String sha1Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is required of every JVM", e);
        }
    }

    @Override
    public String toString() {
        return "RedisScript[" + name + ", sha1=" + sha1 + "]";
    }
}
