package dev.latchkey.lock.jdbc;

/** The lock contract on postgresql in ROW mode. */
class PostgresRowLockContractTest extends JdbcLockContractTest {

    @Override
    String databaseKind() {
        return "postgresql";
    }

    @Override
    JdbcLockMode mode() {
        return JdbcLockMode.ROW;
    }
}
