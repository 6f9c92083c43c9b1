package dev.latchkey.idempotency;

import dev.latchkey.testkit.db.Databases;
import dev.latchkey.testkit.db.TestDatabase;

class JdbcIdempotencyStoreH2Test extends JdbcIdempotencyStoreContract {

    @Override
    protected TestDatabase database() {
        return Databases.h2();
    }

    @Override
    protected String nowMillisSql() {
        return "CAST(EXTRACT(EPOCH FROM CURRENT_TIMESTAMP) * 1000 AS BIGINT)";
    }
}
