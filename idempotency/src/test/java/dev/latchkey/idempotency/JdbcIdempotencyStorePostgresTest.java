package dev.latchkey.idempotency;

import dev.latchkey.testkit.db.Databases;
import dev.latchkey.testkit.db.TestDatabase;

class JdbcIdempotencyStorePostgresTest extends JdbcIdempotencyStoreContract {

    @Override
    protected TestDatabase database() {
        return Databases.postgres();
    }

    @Override
    protected String nowMillisSql() {
        return "(floor(extract(epoch from now()) * 1000)::bigint)";
    }
}
