package dev.latchkey.idempotency;

import dev.latchkey.idempotency.internal.IdempotencySql;
import dev.latchkey.idempotency.spi.ClaimResult;
import dev.latchkey.idempotency.spi.IdempotencyStore;
import dev.latchkey.idempotency.spi.StoredOutcome;
import dev.latchkey.lock.jdbc.spi.JdbcDialect;
import dev.latchkey.lock.jdbc.spi.JdbcFailures;
import dev.latchkey.lock.jdbc.spi.SqlIdentifiers;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * An {@link IdempotencyStore} in one database table, on PostgreSQL, MariaDB/MySQL or H2 (the
 * dialect is detected from the connection). Every deadline is computed by the database's own clock
 * in milliseconds, so application servers with skewed clocks agree.
 *
 * <p>A claim is one atomic statement that inserts the key or takes over a record whose deadline
 * passed ({@code INSERT ... ON CONFLICT DO UPDATE ... WHERE} on PostgreSQL,
 * {@code INSERT ... ON DUPLICATE KEY UPDATE} on MariaDB, {@code MERGE} on H2), followed by a read
 * of the live record when the key was not free. Completion and release are single conditional
 * statements on the claim token. Each statement commits on its own.
 *
 * <p>Expired rows are replaced when their key is claimed again; rows never claimed again stay
 * until {@link #deleteExpired()} removes them, which an application calls on a schedule. The SQL of
 * each dialect lives in one resource ({@code dev/latchkey/idempotency/internal/sql/}).
 *
 * @since 0.1
 */
public final class JdbcIdempotencyStore implements IdempotencyStore {

    /** The default table name. */
    public static final String DEFAULT_TABLE = "latchkey_idempotency";

    private static final int MAX_CLAIM_ATTEMPTS = 10;

    private final DataSource dataSource;
    private final IdempotencySql sql;

    private JdbcIdempotencyStore(DataSource dataSource, IdempotencySql sql) {
        this.dataSource = dataSource;
        this.sql = sql;
    }

    /**
     * Starts a builder.
     *
     * @param dataSource where connections come from; a pool is recommended
     * @return a new builder
     * @throws NullPointerException if {@code dataSource} is null
     */
    public static Builder builder(DataSource dataSource) {
        return new Builder(Objects.requireNonNull(dataSource, "dataSource"));
    }

    @Override
    public ClaimResult claim(String key, byte[] fingerprint, String claimToken, Duration inProgressTimeout) {
        // The read after the claim statement reports the record as it is then. A record of another
        // claimant is reported even if its deadline has just passed: it was live when our statement
        // ran (else the statement would have taken it over), so that is a correct answer, and
        // retrying instead would let claimants with tiny timeouts steal from each other forever.
        // Only a record that vanished (released or purged) means the key is free: claim again.
        for (int attempt = 0; attempt < MAX_CLAIM_ATTEMPTS; attempt++) {
            try (Connection c = dataSource.getConnection()) {
                ClaimResult result = claimOnce(c, key, fingerprint, claimToken, inProgressTimeout.toMillis());
                commitIfNeeded(c);
                if (result != null) {
                    return result;
                }
            } catch (SQLException e) {
                if (!sql.dialect().isUniqueViolation(e)) {
                    throw failure(key, "claim", e);
                }
                // H2: two MERGEs inserted the same new key at once; the other one won.
            }
        }
        throw new IdempotencyBackendException(key, "claim for idempotency key \"" + key + "\" did not settle after "
                + MAX_CLAIM_ATTEMPTS + " attempts", null);
    }

    private ClaimResult claimOnce(Connection c, String key, byte[] fingerprint, String token, long timeoutMs)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql.get("claim"))) {
            ps.setString(1, key);
            ps.setBytes(2, fingerprint);
            ps.setString(3, token);
            ps.setLong(4, timeoutMs);
            if (sql.dialect() == JdbcDialect.POSTGRESQL) {
                // RETURNING yields a row only when this statement inserted or took over the key.
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        return ClaimResult.claimed(rs.getInt(1) > 1);
                    }
                }
            } else {
                ps.executeUpdate();
            }
        }
        try (PreparedStatement ps = c.prepareStatement(sql.get("find"))) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                String state = rs.getString("state");
                if ("IN_PROGRESS".equals(state) && token.equals(rs.getString("claim_token"))) {
                    return ClaimResult.claimed(rs.getInt("claim_count") > 1);
                }
                byte[] storedFingerprint = rs.getBytes("fingerprint");
                if ("IN_PROGRESS".equals(state)) {
                    return ClaimResult.inProgress(storedFingerprint);
                }
                byte[] payload = rs.getBytes("payload");
                return ClaimResult.completed(storedFingerprint, StoredOutcome.valueOf(state),
                        payload == null ? new byte[0] : payload);
            }
        }
    }

    @Override
    public boolean complete(String key, String claimToken, StoredOutcome outcome, byte[] payload, Duration retention) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(sql.get("complete"))) {
            ps.setString(1, outcome.name());
            ps.setBytes(2, payload);
            ps.setLong(3, retention.toMillis());
            ps.setString(4, key);
            ps.setString(5, claimToken);
            int rows = ps.executeUpdate();
            commitIfNeeded(c);
            return rows == 1;
        } catch (SQLException e) {
            throw failure(key, "complete", e);
        }
    }

    @Override
    public boolean release(String key, String claimToken) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(sql.get("release"))) {
            ps.setString(1, key);
            ps.setString(2, claimToken);
            int rows = ps.executeUpdate();
            commitIfNeeded(c);
            return rows == 1;
        } catch (SQLException e) {
            throw failure(key, "release", e);
        }
    }

    /**
     * Deletes every record whose deadline has passed on the database clock. Safe to run at any
     * time from any number of instances; an application typically runs it every few minutes.
     *
     * @return the number of rows deleted
     * @throws IdempotencyBackendException if the database fails
     */
    public int deleteExpired() {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            int rows = st.executeUpdate(sql.get("purge"));
            commitIfNeeded(c);
            return rows;
        } catch (SQLException e) {
            throw failure(null, "delete expired records", e);
        }
    }

    @Override
    public String toString() {
        return "JdbcIdempotencyStore{" + sql.dialect() + '}';
    }

    private static void commitIfNeeded(Connection c) throws SQLException {
        if (!c.getAutoCommit()) {
            c.commit();
        }
    }

    private static IdempotencyBackendException failure(String key, String what, SQLException e) {
        // The shared mapping words the message (pool exhausted, connection lost, SQL state).
        String action = "idempotency store " + what + (key == null ? "" : " for key \"" + key + "\"");
        return new IdempotencyBackendException(key, JdbcFailures.backendFailure(action, e).getMessage(), e);
    }

    /**
     * Configures a {@link JdbcIdempotencyStore}. Not thread-safe.
     *
     * @since 0.1
     */
    public static final class Builder {
        private final DataSource dataSource;
        private String tableName = DEFAULT_TABLE;
        private boolean createTableIfMissing;

        private Builder(DataSource dataSource) {
            this.dataSource = dataSource;
        }

        /**
         * The table holding the records. Default {@value JdbcIdempotencyStore#DEFAULT_TABLE}.
         *
         * @param tableName a plain identifier (letters, digits and underscores, not starting with a
         *     digit, at most 54 characters), optionally schema-qualified
         * @return this builder
         * @throws NullPointerException if {@code tableName} is null
         * @throws IllegalArgumentException if it is not a plain identifier
         */
        public Builder tableName(String tableName) {
            this.tableName = SqlIdentifiers.tableName(tableName);
            return this;
        }

        /**
         * Whether {@link #build()} creates the table and its index when missing. Default false:
         * the table is created by the application's migrations (the DDL is in the dialect's
         * resource under {@code -- @create}).
         *
         * @param create true to create
         * @return this builder
         */
        public Builder createTableIfMissing(boolean create) {
            this.createTableIfMissing = create;
            return this;
        }

        /**
         * Connects once to detect the dialect and, if asked, create the table.
         *
         * @return the store
         * @throws IllegalArgumentException if the database is not PostgreSQL, MariaDB, MySQL or H2
         * @throws IdempotencyBackendException if the database cannot be reached or the table
         *     cannot be created
         */
        public JdbcIdempotencyStore build() {
            try (Connection c = dataSource.getConnection()) {
                IdempotencySql sql = IdempotencySql.load(IdempotencySql.detect(c), tableName);
                if (createTableIfMissing) {
                    createTable(c, sql);
                }
                return new JdbcIdempotencyStore(dataSource, sql);
            } catch (SQLException e) {
                throw failure(null, "setup of table " + tableName, e);
            }
        }

        private void createTable(Connection c, IdempotencySql sql) throws SQLException {
            for (String ddl : sql.script("create")) {
                try (Statement st = c.createStatement()) {
                    st.execute(ddl);
                    commitIfNeeded(c);
                } catch (SQLException e) {
                    // Several instances starting at once can race on PostgreSQL's catalog even with
                    // IF NOT EXISTS; the table being there afterwards is all that matters.
                    if (!c.getAutoCommit()) {
                        c.rollback();
                    }
                    if (!tableExists(c, sql)) {
                        throw e;
                    }
                }
            }
        }

        private boolean tableExists(Connection c, IdempotencySql sql) {
            try (Statement st = c.createStatement()) {
                st.executeQuery("SELECT COUNT(*) FROM " + tableName + " WHERE 1 = 0").close();
                return true;
            } catch (SQLException e) {
                return false;
            }
        }
    }
}
