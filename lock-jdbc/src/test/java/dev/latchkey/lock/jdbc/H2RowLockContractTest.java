package dev.latchkey.lock.jdbc;

/** The lock contract on h2 in ROW mode. */
class H2RowLockContractTest extends JdbcLockContractTest {

    @Override
    String databaseKind() {
        return "h2";
    }

    @Override
    JdbcLockMode mode() {
        return JdbcLockMode.ROW;
    }
}
