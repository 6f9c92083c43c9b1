package dev.latchkey.idempotency;

import dev.latchkey.testkit.db.Databases;
import dev.latchkey.testkit.db.TestDatabase;

class JdbcIdempotencyStoreMariaDbTest extends JdbcIdempotencyStoreContract {

    @Override
    protected TestDatabase database() {
        return Databases.mariadb();
    }

    @Override
    protected String nowMillisSql() {
        return "(TIMESTAMPDIFF(MICROSECOND, '1970-01-01 00:00:00', UTC_TIMESTAMP(3)) DIV 1000)";
    }
}
