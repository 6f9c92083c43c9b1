package dev.latchkey.lock.jdbc.spi;

import dev.latchkey.lock.LockBackendException;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

/**
 * Turns a {@link SQLException} into a {@link LockBackendException} whose message says what was
 * being done, the SQL state and vendor code, and, when the pool had no connection to give, that
 * the pool was exhausted or the database unreachable.
 *
 * @since 0.1
 */
public final class JdbcFailures {

    private JdbcFailures() {
    }

    /**
     * Wraps {@code e}, raised while doing {@code action} (for example "acquire of lock 'x'").
     *
     * @throws NullPointerException if an argument is null
     */
    public static LockBackendException backendFailure(String action, SQLException e) {
        StringBuilder m = new StringBuilder(action).append(" failed: ");
        if (e instanceof SQLTransientConnectionException) {
            m.append("no connection from the DataSource (pool exhausted or database unreachable): ");
        } else if (isConnectionFailure(e)) {
            m.append("connection to the database failed: ");
        }
        m.append(e.getMessage());
        if (e.getSQLState() != null) {
            m.append(" [SQLState ").append(e.getSQLState()).append(", code ").append(e.getErrorCode()).append(']');
        }
        return new LockBackendException(m.toString(), e);
    }

    /**
     * Whether {@code e} means the connection is broken (SQLState class 08, or a connection-level
     * subclass of {@link SQLException}).
     */
    public static boolean isConnectionFailure(SQLException e) {
        String state = e.getSQLState();
        return (state != null && state.startsWith("08"))
                || e instanceof java.sql.SQLNonTransientConnectionException
                || e instanceof SQLTransientConnectionException
                || e instanceof java.sql.SQLRecoverableException;
    }
}
