package dev.latchkey.idempotency;

import dev.latchkey.idempotency.spi.IdempotencyStore;
import dev.latchkey.testkit.db.Databases;

class JdbcIdempotencyStorePostgresTest extends IdempotencyStoreContract {

    @Override
    protected IdempotencyStore newStore() {
        return JdbcIdempotencyStore.builder(Databases.postgres().dataSource()).createTableIfMissing(true).build();
    }
}
