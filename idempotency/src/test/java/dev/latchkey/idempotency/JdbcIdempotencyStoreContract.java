package dev.latchkey.idempotency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.idempotency.spi.IdempotencyStore;
import dev.latchkey.testkit.db.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The store contract plus what only the JDBC store has: its table, its clock unit, its purge. */
abstract class JdbcIdempotencyStoreContract extends IdempotencyStoreContract {

    /** The database under test. */
    protected abstract TestDatabase database();

    /** The database clock in milliseconds since the epoch, read with the dialect's own expression. */
    protected abstract String nowMillisSql();

    @Override
    protected IdempotencyStore newStore() {
        return JdbcIdempotencyStore.builder(database().dataSource()).createTableIfMissing(true).build();
    }

    @Test
    void claim_storesDeadlineInMillisecondsOnTheDatabaseClock() throws SQLException {
        String key = newKey();
        store.claim(key, FP, "t", Duration.ofSeconds(90));

        try (Connection c = database().dataSource().getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT expires_at - " + nowMillisSql()
                        + " FROM " + JdbcIdempotencyStore.DEFAULT_TABLE + " WHERE idem_key = ?")) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                // 90 s in milliseconds; a seconds-vs-milliseconds mix-up would be off by 1000x.
                assertThat(rs.getLong(1)).as("deadline minus database now, in ms").isBetween(80_000L, 90_000L);
            }
        }
    }

    @Test
    void deleteExpired_removesExpiredRecordsOnly() throws SQLException {
        JdbcIdempotencyStore jdbc = (JdbcIdempotencyStore) store;
        String expired = newKey();
        String live = newKey();
        jdbc.claim(expired, FP, "a", Duration.ofMillis(10));
        jdbc.claim(live, FP, "b", Duration.ofMinutes(5));

        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> {
            jdbc.deleteExpired();
            return !rowExists(expired);
        });
        assertThat(rowExists(live)).as("a live claim survives the purge").isTrue();
    }

    private boolean rowExists(String key) throws SQLException {
        try (Connection c = database().dataSource().getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT COUNT(*) FROM " + JdbcIdempotencyStore.DEFAULT_TABLE + " WHERE idem_key = ?")) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1) == 1;
            }
        }
    }

    @Test
    void builder_tableNameThatIsNotAPlainIdentifier_isRefusedBeforeAnyIo() {
        assertThatThrownBy(() -> JdbcIdempotencyStore.builder(database().dataSource()).tableName("t; DROP TABLE x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("t; DROP TABLE x");
    }

    @Test
    void builder_customTableName_isCreatedAndUsed() {
        IdempotencyStore custom = JdbcIdempotencyStore.builder(database().dataSource())
                .tableName("idem_custom_" + Long.toHexString(System.nanoTime())).createTableIfMissing(true).build();
        String key = newKey();
        String value = Idempotency.builder(custom).build().execute(key, FP, ResponseCodec.utf8(), () -> "ok");
        IdempotentResult<String> replay = Idempotency.builder(custom).build()
                .executeForResult(key, FP, ResponseCodec.utf8(), () -> "again");
        assertThat(value).isEqualTo("ok");
        assertThat(replay.replayed()).isTrue();
        assertThat(replay.value()).isEqualTo("ok");
    }
}
