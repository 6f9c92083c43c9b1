package dev.latchkey.lock.spi;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;

/**
 * The checks every provider runs at its API boundary, before any I/O, so bad input fails the same
 * way on every backend: {@link NullPointerException} naming the parameter,
 * {@link IllegalArgumentException} naming the bad value.
 *
 * @since 0.1
 */
public final class LockValidation {

    /** The longest lock name, in UTF-8 bytes. */
    public static final int MAX_NAME_BYTES = 512;

    /** The shortest lease time a backend accepts. */
    public static final Duration MIN_LEASE_TIME = Duration.ofMillis(10);

    /** The longest lease time: deadlines are kept in nanoseconds, and this leaves room to add them. */
    public static final Duration MAX_LEASE_TIME = Duration.ofDays(365L * 100);

    private LockValidation() {
    }

    /**
     * Returns {@code name} if it is a valid lock name: non-empty, at most 512 UTF-8 bytes, no
     * control characters.
     *
     * @throws NullPointerException if {@code name} is null
     * @throws IllegalArgumentException naming the bad value otherwise
     */
    public static String lockName(String name) {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("lock name must not be empty");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isISOControl(c)) {
                throw new IllegalArgumentException(String.format(
                        "lock name must not contain control characters: found U+%04X at index %d in \"%s\"",
                        (int) c, i, printable(name)));
            }
        }
        // Cheap bound first: a UTF-8 char is at most 3 bytes per UTF-16 unit.
        if (name.length() * 3 > MAX_NAME_BYTES) {
            int bytes = name.getBytes(StandardCharsets.UTF_8).length;
            if (bytes > MAX_NAME_BYTES) {
                throw new IllegalArgumentException("lock name is " + bytes + " UTF-8 bytes, more than the "
                        + MAX_NAME_BYTES + " allowed: \"" + printable(name.substring(0, 40)) + "...\"");
            }
        }
        return name;
    }

    /**
     * Returns {@code leaseTime} if it is at least 10 ms and at most 100 years.
     *
     * @throws NullPointerException if {@code leaseTime} is null
     * @throws IllegalArgumentException naming the bad value otherwise
     */
    public static Duration leaseTime(Duration leaseTime) {
        Objects.requireNonNull(leaseTime, "leaseTime");
        if (leaseTime.compareTo(MIN_LEASE_TIME) < 0) {
            throw new IllegalArgumentException("lease time must be at least " + MIN_LEASE_TIME.toMillis()
                    + " ms, was " + leaseTime);
        }
        if (leaseTime.compareTo(MAX_LEASE_TIME) > 0) {
            throw new IllegalArgumentException("lease time must be at most " + MAX_LEASE_TIME + ", was " + leaseTime);
        }
        return leaseTime;
    }

    /**
     * Returns {@code value} if it is strictly positive.
     *
     * @throws NullPointerException naming {@code parameter} if {@code value} is null
     * @throws IllegalArgumentException naming the parameter and the bad value otherwise
     */
    public static Duration positive(Duration value, String parameter) {
        Objects.requireNonNull(value, parameter);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(parameter + " must be positive, was " + value);
        }
        return value;
    }

    /**
     * Returns {@code value} if it is zero or positive (a wait of zero means one attempt).
     *
     * @throws NullPointerException naming {@code parameter} if {@code value} is null
     * @throws IllegalArgumentException naming the parameter and the bad value otherwise
     */
    public static Duration notNegative(Duration value, String parameter) {
        Objects.requireNonNull(value, parameter);
        if (value.isNegative()) {
            throw new IllegalArgumentException(parameter + " must not be negative, was " + value);
        }
        return value;
    }

    private static String printable(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isISOControl(c)) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
