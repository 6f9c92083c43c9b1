package dev.latchkey.lock.jdbc;

import dev.latchkey.lock.jdbc.spi.JdbcDialect;
import dev.latchkey.lock.jdbc.spi.SqlIdentifiers;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Bad configuration fails at once, before any I/O, with a message that names the bad value. */
class InputValidationTest {

    @Test
    void tableName_plainOrSchemaQualified_isAccepted() {
        assertThat(SqlIdentifiers.tableName("latchkey_locks")).isEqualTo("latchkey_locks");
        assertThat(SqlIdentifiers.tableName("app.Locks_2")).isEqualTo("app.Locks_2");
    }

    @Test
    void tableName_withAnythingButAPlainIdentifier_isRejectedNamingTheValue() {
        for (String bad : new String[] {"", "locks; DROP TABLE users", "\"locks\"", "a.b.c", "1locks", "lo cks",
                "locks--", "a.", ".a", "x".repeat(55)}) {
            assertThatThrownBy(() -> SqlIdentifiers.tableName(bad)).as("table name %s", bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(bad.length() > 54 ? "54" : bad);
        }
        assertThatThrownBy(() -> SqlIdentifiers.tableName(null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("tableName");
    }

    @Test
    void builder_badArguments_failBeforeAnyIo() {
        // A data source that cannot connect: the checks below must not need it.
        JdbcLockProvider.Builder b = JdbcLockProvider.builder(new UnreachableDataSource());
        assertThatThrownBy(() -> b.tableName("x; --")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.mode(null)).isInstanceOf(NullPointerException.class).hasMessageContaining("mode");
        assertThatThrownBy(() -> b.defaults(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> b.queryTimeout(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("queryTimeout");
        assertThatThrownBy(() -> b.listenerIdleTimeout(Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("listenerIdleTimeout").hasMessageContaining("-0.001");
        assertThatThrownBy(() -> b.listenerIdleTimeout(null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("listenerIdleTimeout");
        assertThatThrownBy(() -> b.handOffAfter(Duration.ofMillis(-5))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("handOffAfter").hasMessageContaining("-0.005");
        assertThatThrownBy(() -> b.handOffAfter(null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("handOffAfter");
        assertThatThrownBy(() -> JdbcLockProvider.builder(null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("dataSource");
    }

    @Test
    void dialect_fromProduct_recognisesTheSupportedDatabases() {
        assertThat(JdbcDialect.fromProduct("PostgreSQL", "15.2")).isEqualTo(JdbcDialect.POSTGRESQL);
        assertThat(JdbcDialect.fromProduct("MariaDB", "10.11.6-MariaDB")).isEqualTo(JdbcDialect.MARIADB);
        assertThat(JdbcDialect.fromProduct("MySQL", "5.5.5-10.11.6-MariaDB")).isEqualTo(JdbcDialect.MARIADB);
        assertThat(JdbcDialect.fromProduct("MySQL", "8.0.36")).isEqualTo(JdbcDialect.MYSQL);
        assertThat(JdbcDialect.fromProduct("H2", "2.3.232 (2024-08-11)")).isEqualTo(JdbcDialect.H2);
    }

    @Test
    void dialect_ofAnUnsupportedDatabase_failsListingTheSupportedOnes() {
        assertThatThrownBy(() -> JdbcDialect.fromProduct("Oracle", "19c"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Oracle")
                .hasMessageContaining("PostgreSQL, MariaDB, MySQL, H2");
    }

    @Test
    void ddl_ofEveryDialect_usesTheValidatedTableName() {
        for (JdbcDialect d : JdbcDialect.values()) {
            String ddl = JdbcLockProvider.ddl(d, "app.my_locks");
            assertThat(ddl).as(d.displayName()).contains("CREATE TABLE IF NOT EXISTS app.my_locks")
                    .doesNotContain("${");
        }
        assertThatThrownBy(() -> JdbcLockProvider.ddl(JdbcDialect.H2, "x y")).isInstanceOf(IllegalArgumentException.class);
    }

    /** A DataSource whose every connection attempt fails: proves the checks above do no I/O. */
    private static final class UnreachableDataSource implements javax.sql.DataSource {
        @Override
        public java.sql.Connection getConnection() throws java.sql.SQLException {
            throw new java.sql.SQLException("no I/O expected");
        }

        @Override
        public java.sql.Connection getConnection(String user, String password) throws java.sql.SQLException {
            throw new java.sql.SQLException("no I/O expected");
        }

        @Override
        public java.io.PrintWriter getLogWriter() {
            return null;
        }

        @Override
        public void setLogWriter(java.io.PrintWriter out) {
        }

        @Override
        public void setLoginTimeout(int seconds) {
        }

        @Override
        public int getLoginTimeout() {
            return 0;
        }

        @Override
        public java.util.logging.Logger getParentLogger() {
            return java.util.logging.Logger.getGlobal();
        }

        @Override
        public <T> T unwrap(Class<T> iface) throws java.sql.SQLException {
            throw new java.sql.SQLException("not a wrapper");
        }

        @Override
        public boolean isWrapperFor(Class<?> iface) {
            return false;
        }
    }
}
