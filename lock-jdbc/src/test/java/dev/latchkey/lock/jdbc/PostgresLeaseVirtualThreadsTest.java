package dev.latchkey.lock.jdbc;

import dev.latchkey.lock.LockProvider;
import dev.latchkey.testkit.vthreads.VirtualThreadsLockContract;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;

/**
 * The PostgreSQL lock in LEASE mode used from virtual threads ({@link VirtualThreadsLockContract});
 * waiters are woken by {@code LISTEN/NOTIFY}.
 */
@EnabledForJreRange(min = JRE.JAVA_21, disabledReason = "virtual threads need JDK 21 or later")
class PostgresLeaseVirtualThreadsTest extends VirtualThreadsLockContract {

    private static final String TABLE = "latchkey_vthread_locks";

    @Override
    protected LockProvider newProvider() {
        return JdbcLockProvider.builder(TestPools.pool("postgresql"))
                .tableName(TABLE)
                .mode(JdbcLockMode.LEASE)
                .createTableIfMissing(true)
                .build();
    }

    /**
     * Five hundred, not a thousand: every hand-off here is a committed statement waiting for a WAL
     * flush, and a thousand threads queueing on a 40-connection pool took 30 s on 2 vCPUs.
     */
    @Override
    protected int holders() {
        return 500;
    }
}
