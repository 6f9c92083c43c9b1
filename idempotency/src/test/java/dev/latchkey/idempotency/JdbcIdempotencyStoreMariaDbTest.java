package dev.latchkey.idempotency;

import dev.latchkey.idempotency.spi.IdempotencyStore;
import dev.latchkey.testkit.db.Databases;

class JdbcIdempotencyStoreMariaDbTest extends IdempotencyStoreContract {

    @Override
    protected IdempotencyStore newStore() {
        return JdbcIdempotencyStore.builder(Databases.mariadb().dataSource()).createTableIfMissing(true).build();
    }
}
