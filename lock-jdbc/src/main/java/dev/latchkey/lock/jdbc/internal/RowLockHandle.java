package dev.latchkey.lock.jdbc.internal;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The open transaction of a ROW-mode grant: the connection holding the row lock, and the view of
 * it the application gets. The view refuses commit, rollback, close and autocommit changes, since
 * any of them would end the transaction and with it the lock, unseen by the lease; the lease
 * ends it instead, with {@link #commit()} on release or {@link #rollback()}.
 */
public final class RowLockHandle {

    private static final Set<String> ENDS_TRANSACTION = Set.of("commit", "close", "setAutoCommit", "abort");

    private final Connection connection;
    private final Connection view;
    private final AtomicBoolean finished = new AtomicBoolean();

    RowLockHandle(Connection connection) {
        this.connection = connection;
        this.view = (Connection) Proxy.newProxyInstance(RowLockHandle.class.getClassLoader(),
                new Class<?>[] {Connection.class}, new Guard());
    }

    /** The connection as the application sees it. */
    public Connection view() {
        return view;
    }

    /** Whether the transaction was already committed or rolled back. */
    public boolean isFinished() {
        return finished.get();
    }

    /** Whether the transaction is still open and its connection answers. */
    boolean isAlive(int timeoutSeconds) throws SQLException {
        return !finished.get() && connection.isValid(timeoutSeconds);
    }

    /**
     * Commits the caller's writes together with the unlock. Returns false if already finished.
     *
     * @throws SQLException if the commit fails: the writes are rolled back and the lock is free
     */
    boolean commit() throws SQLException {
        if (!finished.compareAndSet(false, true)) {
            return false;
        }
        try {
            connection.commit();
        } catch (SQLException e) {
            try {
                connection.rollback();
            } catch (SQLException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        } finally {
            closeQuietly();
        }
        return true;
    }

    /** Rolls back the caller's writes and unlocks. Returns false if already finished. */
    public boolean rollback() throws SQLException {
        if (!finished.compareAndSet(false, true)) {
            return false;
        }
        try {
            connection.rollback();
        } finally {
            closeQuietly();
        }
        return true;
    }

    private void closeQuietly() {
        try {
            connection.setAutoCommit(true);
        } catch (SQLException ignored) {
            // A dead connection: the pool discards it.
        }
        try {
            connection.close();
        } catch (SQLException ignored) {
            // Nothing more to free.
        }
    }

    private final class Guard implements InvocationHandler {
        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            String name = method.getName();
            if (method.getDeclaringClass() == Object.class) {
                switch (name) {
                    case "equals":
                        return proxy == args[0];
                    case "hashCode":
                        return System.identityHashCode(proxy);
                    default:
                        return "RowLockConnection[" + connection + "]";
                }
            }
            if (finished.get() && !name.equals("isClosed")) {
                throw new IllegalStateException("the lock's transaction has ended (the lease was released"
                        + " or rolled back); this connection is no longer usable");
            }
            if (ENDS_TRANSACTION.contains(name) || (name.equals("rollback") && method.getParameterCount() == 0)) {
                throw new IllegalStateException(name + "() would end the transaction that holds the lock: call"
                        + " release() on the lease to commit, or JdbcLeases.rollback(lease) to roll back");
            }
            try {
                return method.invoke(connection, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }
    }
}
