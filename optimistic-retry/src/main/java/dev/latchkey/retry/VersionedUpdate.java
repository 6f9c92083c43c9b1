package dev.latchkey.retry;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Objects;

/**
 * A version-checked {@code UPDATE} for optimistic concurrency control over JDBC. The statement must change the
 * row only if its version is still the one that was read, and advance the version:
 *
 * <pre>{@code
 * VersionedUpdate decrementStock = VersionedUpdate.of(
 *         "UPDATE inventory_items SET quantity_available = ?, version = version + 1 WHERE id = ? AND version = ?");
 * decrementStock.execute(connection, newQuantity, itemId, versionRead);
 * }</pre>
 *
 * {@link #execute} reads the update count: 1 is success; 0 means another transaction changed (or deleted) the
 * row since it was read and throws {@link ConcurrencyConflictException}; more than 1 means the {@code WHERE}
 * clause does not pick a single row, a bug, and throws {@link IllegalStateException}.
 *
 * <p><b>Retry the whole transaction, not the statement.</b> The values written were computed from the read, so
 * a retry must read again: wrap the read, the computation, this update and the commit in one
 * {@link Retry#call}, and roll back before leaving the attempt. The same holds for JPA: an
 * {@code OptimisticLockException} marks the transaction rollback-only, so only a new transaction can succeed.
 *
 * <p>Immutable and thread-safe. The SQL is the caller's, used as given with bind parameters; nothing is
 * concatenated into it.
 *
 * @since 0.1.0
 */
public final class VersionedUpdate {

    private final String sql;

    private VersionedUpdate(String sql) {
        this.sql = sql;
    }

    /**
     * @param sql an {@code UPDATE} statement with {@code ?} parameters whose {@code WHERE} clause checks the
     *        version read
     * @throws NullPointerException if {@code sql} is null
     * @throws IllegalArgumentException if {@code sql} is not an {@code UPDATE} statement
     */
    public static VersionedUpdate of(String sql) {
        Objects.requireNonNull(sql, "sql");
        String head = sql.stripLeading().toUpperCase(Locale.ROOT);
        if (!head.startsWith("UPDATE ") && !head.startsWith("UPDATE\n") && !head.startsWith("UPDATE\t")) {
            throw new IllegalArgumentException("sql must be an UPDATE statement: '" + sql + "'");
        }
        return new VersionedUpdate(sql);
    }

    /** The statement. */
    public String sql() {
        return sql;
    }

    /**
     * Executes the update on {@code connection} (in its current transaction; nothing is committed here).
     *
     * @param params the bind parameters, in order, set with {@link PreparedStatement#setObject(int, Object)}
     * @throws NullPointerException if {@code connection} or {@code params} is null
     * @throws ConcurrencyConflictException if no row was updated: the version changed since it was read
     * @throws IllegalStateException if more than one row was updated
     * @throws SQLException if the database fails
     */
    public void execute(Connection connection, Object... params) throws SQLException {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(params, "params");
        int rows;
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            rows = ps.executeUpdate();
        }
        checkUpdateCount(rows, sql);
    }

    /**
     * Applies the rule of {@link #execute} to an update count obtained elsewhere (a batch, a JPA query).
     *
     * @param rows the update count
     * @param what names the statement in the exception message
     * @throws ConcurrencyConflictException if {@code rows} is 0
     * @throws IllegalStateException if {@code rows} is more than 1
     * @throws IllegalArgumentException if {@code rows} is negative (a driver that does not know the count)
     */
    public static void checkUpdateCount(long rows, String what) {
        if (rows == 1) {
            return;
        }
        if (rows == 0) {
            throw new ConcurrencyConflictException(
                    "Version check failed, no row updated (changed or deleted since it was read): " + what);
        }
        if (rows < 0) {
            throw new IllegalArgumentException("update count is unknown: " + rows + " for " + what);
        }
        throw new IllegalStateException("A version-checked update changed " + rows + " rows, expected 1: " + what);
    }

    @Override
    public String toString() {
        return "VersionedUpdate[" + sql + "]";
    }
}
