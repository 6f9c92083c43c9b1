/**
 * The JDBC pieces shared by Latchkey's database backends (the lock table here, the idempotency
 * store elsewhere): {@link dev.latchkey.lock.jdbc.spi.JdbcDialect} (which database, detected from
 * its metadata), {@link dev.latchkey.lock.jdbc.spi.SqlIdentifiers} (table names checked before
 * they reach SQL) and {@link dev.latchkey.lock.jdbc.spi.JdbcFailures} ({@link java.sql.SQLException}
 * to {@link dev.latchkey.lock.LockBackendException}). Applications do not need this package.
 */
package dev.latchkey.lock.jdbc.spi;
