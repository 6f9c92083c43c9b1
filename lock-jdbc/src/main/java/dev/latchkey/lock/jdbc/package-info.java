/**
 * The database lock: {@code JdbcLockProvider} with lease rows or transaction-held row locks on PostgreSQL, MariaDB/MySQL and H2.
 */
package dev.latchkey.lock.jdbc;
