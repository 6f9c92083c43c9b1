package dev.latchkey.lock.jdbc;

/** The lock contract on mariadb in ROW mode. */
class MariaDbRowLockContractTest extends JdbcLockContractTest {

    @Override
    String databaseKind() {
        return "mariadb";
    }

    @Override
    JdbcLockMode mode() {
        return JdbcLockMode.ROW;
    }
}
