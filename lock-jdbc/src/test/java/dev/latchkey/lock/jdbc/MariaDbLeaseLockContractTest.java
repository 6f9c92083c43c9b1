package dev.latchkey.lock.jdbc;

/** The lock contract on mariadb in LEASE mode. */
class MariaDbLeaseLockContractTest extends JdbcLockContractTest {

    @Override
    String databaseKind() {
        return "mariadb";
    }

    @Override
    JdbcLockMode mode() {
        return JdbcLockMode.LEASE;
    }
}
