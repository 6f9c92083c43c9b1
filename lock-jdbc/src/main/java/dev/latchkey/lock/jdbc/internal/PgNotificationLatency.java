package dev.latchkey.lock.jdbc.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.reflect.Field;
import java.sql.Connection;

/**
 * Takes a millisecond off every notification the PostgreSQL driver delivers on a listening
 * connection.
 *
 * <p>After reading a notification, {@code PGConnection.getNotifications} asks the driver's stream
 * whether another message is pending ({@code PGStream.hasMessagePending}). When the socket has no
 * bytes buffered, that check blocks in a read with a 1 ms timeout; it is meant to run at most once
 * a second, but the driver (42.x) only records the time of the check when the read returned,
 * not when it timed out, so every notification waits out the full millisecond before
 * {@code getNotifications} returns. Measured here with a listening thread blocked in
 * {@code getNotifications(500)}: {@code NOTIFY} to delivery 1.37 ms at the median, 0.24 ms with
 * the check pushed out of reach. Under contention that millisecond was most of a hand-off.
 *
 * <p>Pushing the next check out of reach leaves the driver with its cheap test only (bytes in its
 * buffer or, through {@code available()}, in the socket's), which on a plain TCP socket answers
 * the same question without waiting. Where TLS hides bytes from {@code available()}, a second
 * notification that arrived with the first is read by the next {@code getNotifications} call,
 * which reads the socket anyway. The listener connection is this provider's alone while it
 * listens, and {@link #restore} puts the driver's value back before the connection returns to the
 * application's pool.
 *
 * <p>Everything is reached reflectively and is best effort: a driver whose internals differ keeps
 * its own behaviour (a millisecond slower per notification), and nothing fails.
 */
final class PgNotificationLatency {

    private static final Logger log = LoggerFactory.getLogger(PgNotificationLatency.class);

    private final Object stream;
    private final Field next;
    private final long saved;

    private PgNotificationLatency(Object stream, Field next, long saved) {
        this.stream = stream;
        this.next = next;
        this.saved = saved;
    }

    /**
     * Pushes the driver's next blocking check of {@code connection} out of reach.
     *
     * @return what {@link #restore} needs, or null if the driver's internals were not found
     */
    static PgNotificationLatency apply(Connection connection) {
        try {
            Class<?> base = Class.forName("org.postgresql.core.BaseConnection");
            Object executor = base.getMethod("getQueryExecutor").invoke(connection.unwrap(base));
            Field streamField = field(executor.getClass(), "pgStream");
            streamField.setAccessible(true);
            Object stream = streamField.get(executor);
            Field next = field(stream.getClass(), "nextStreamAvailableCheckTime");
            next.setAccessible(true);
            long saved = next.getLong(stream);
            next.setLong(stream, Long.MAX_VALUE);
            return new PgNotificationLatency(stream, next, saved);
        } catch (ReflectiveOperationException | RuntimeException | java.sql.SQLException | LinkageError e) {
            log.debug("PostgreSQL driver internals not as expected; notifications keep the driver's 1 ms check", e);
            return null;
        }
    }

    /** Puts the driver's own value back. */
    void restore() {
        try {
            next.setLong(stream, saved);
        } catch (IllegalAccessException | RuntimeException e) {
            log.debug("could not restore the PostgreSQL driver's stream check time", e);
        }
    }

    /** The field {@code name} declared by {@code type} or a superclass. */
    static Field field(Class<?> type, String name) throws NoSuchFieldException {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            try {
                return c.getDeclaredField(name);
            } catch (NoSuchFieldException e) {
                // look further up
            }
        }
        throw new NoSuchFieldException(type.getName() + "." + name);
    }
}
