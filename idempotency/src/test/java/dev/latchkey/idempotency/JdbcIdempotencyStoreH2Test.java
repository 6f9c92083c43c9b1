package dev.latchkey.idempotency;

import dev.latchkey.idempotency.spi.IdempotencyStore;
import dev.latchkey.testkit.db.Databases;

class JdbcIdempotencyStoreH2Test extends IdempotencyStoreContract {

    @Override
    protected IdempotencyStore newStore() {
        return JdbcIdempotencyStore.builder(Databases.h2().dataSource()).createTableIfMissing(true).build();
    }
}
