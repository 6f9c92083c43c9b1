/**
 * Databases for tests: PostgreSQL and MariaDB found from the environment, on the local services
 * (a fresh database per JVM) or in containers, and an embedded H2
 * ({@link dev.latchkey.testkit.db.Databases}, {@link dev.latchkey.testkit.db.TestDatabase}).
 */
package dev.latchkey.testkit.db;
