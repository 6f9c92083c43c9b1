package dev.latchkey.lock.jdbc.internal;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Lock names, each with a moment ({@link System#nanoTime()}) until which something holds for it
 * in this provider. Only a hint for picking statements: beyond {@link #NAMES} names it starts
 * afresh, and a name forgotten early merely takes the general path once.
 */
final class NameDeadlines {

    private static final int NAMES = 4096;

    private final ConcurrentHashMap<String, Long> until = new ConcurrentHashMap<>();

    /** Holds for {@code name} for the next {@code nanos}. */
    void mark(String name, long nanos) {
        if (until.size() >= NAMES) {
            until.clear();
        }
        until.put(name, System.nanoTime() + nanos);
    }

    /** Whether a mark for {@code name} still holds. */
    boolean holds(String name) {
        Long deadline = until.get(name);
        if (deadline == null) {
            return false;
        }
        if (deadline - System.nanoTime() > 0) {
            return true;
        }
        until.remove(name, deadline);
        return false;
    }
}
