package dev.latchkey.lock.jdbc;

/** The lock contract on h2 in LEASE mode. */
class H2LeaseLockContractTest extends JdbcLockContractTest {

    @Override
    String databaseKind() {
        return "h2";
    }

    @Override
    JdbcLockMode mode() {
        return JdbcLockMode.LEASE;
    }
}
