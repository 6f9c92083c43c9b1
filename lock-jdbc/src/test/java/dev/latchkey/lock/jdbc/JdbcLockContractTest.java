package dev.latchkey.lock.jdbc;

import dev.latchkey.lock.LockProvider;
import dev.latchkey.testkit.lock.LockContract;

/**
 * The lock contract on one database in one mode. ROW-mode grants last while their transaction is
 * open, not until a lease time runs out on the database's clock: that is the contract's documented
 * exception, and the end of a ROW grant (its connection dying) is tested in {@link RowModeFaultTest}.
 */
abstract class JdbcLockContractTest extends LockContract {

    static final String TABLE = "latchkey_contract_locks";

    abstract String databaseKind();

    abstract JdbcLockMode mode();

    @Override
    protected LockProvider newProvider() {
        return JdbcLockProvider.builder(TestPools.pool(databaseKind()))
                .tableName(TABLE)
                .mode(mode())
                .createTableIfMissing(true)
                .build();
    }

    @Override
    protected boolean leasesExpireOnBackendClock() {
        return mode() == JdbcLockMode.LEASE;
    }
}
