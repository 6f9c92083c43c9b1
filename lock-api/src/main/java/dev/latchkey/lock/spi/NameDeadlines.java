package dev.latchkey.lock.spi;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Lock names, each with a moment ({@link System#nanoTime()}) until which something holds for it
 * in one provider: for a backend that picks a cheaper statement or script while it holds. Only a
 * hint: beyond {@link #NAMES} names it starts afresh, and a name forgotten early merely takes the
 * general path once. Thread-safe.
 */
public final class NameDeadlines {

    /** Beyond this many names the marks start afresh. */
    public static final int NAMES = 4096;

    private final ConcurrentHashMap<String, Long> until = new ConcurrentHashMap<>();

    /** Holds for {@code name} for the next {@code nanos}. */
    public void mark(String name, long nanos) {
        if (until.size() >= NAMES) {
            until.clear();
        }
        until.put(name, System.nanoTime() + nanos);
    }

    /** Whether a mark for {@code name} still holds. */
    public boolean holds(String name) {
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
