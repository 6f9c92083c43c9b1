package dev.latchkey.lock.jdbc;

/** The lock contract on postgresql in LEASE mode. */
class PostgresLeaseLockContractTest extends JdbcLockContractTest {

    @Override
    String databaseKind() {
        return "postgresql";
    }

    @Override
    JdbcLockMode mode() {
        return JdbcLockMode.LEASE;
    }
}
