package dev.latchkey.lock.jdbc.spi;

import dev.latchkey.lock.LockBackendException;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Objects;

/**
 * The databases Latchkey's JDBC backends support, detected from {@link DatabaseMetaData}, and the
 * few error codes that mean something other than failure (a lock not available, a duplicate key).
 *
 * @since 0.1
 */
public enum JdbcDialect {

    /** PostgreSQL 9.5 or later. */
    POSTGRESQL("PostgreSQL", "postgresql"),
    /** MariaDB 10.3 or later (sequences, {@code NOWAIT}, {@code WAIT n}). */
    MARIADB("MariaDB", "mariadb"),
    /** MySQL 8.0 or later ({@code NOWAIT}). */
    MYSQL("MySQL", "mysql"),
    /** H2 2.x. */
    H2("H2", "h2");

    private final String displayName;
    private final String resourceName;

    JdbcDialect(String displayName, String resourceName) {
        this.displayName = displayName;
        this.resourceName = resourceName;
    }

    /** The database's usual name, such as "PostgreSQL". */
    public String displayName() {
        return displayName;
    }

    /** The lower-case base name of this dialect's resources, such as "postgresql". */
    public String resourceName() {
        return resourceName;
    }

    /**
     * Detects the dialect of {@code dataSource} by opening one connection and reading its metadata.
     *
     * @throws NullPointerException if {@code dataSource} is null
     * @throws IllegalArgumentException if the database is not one of the supported ones (the
     *     message lists them)
     * @throws LockBackendException if no connection can be opened
     */
    public static JdbcDialect detect(DataSource dataSource) {
        Objects.requireNonNull(dataSource, "dataSource");
        try (Connection c = dataSource.getConnection()) {
            DatabaseMetaData md = c.getMetaData();
            return fromProduct(md.getDatabaseProductName(), md.getDatabaseProductVersion());
        } catch (SQLException e) {
            throw JdbcFailures.backendFailure("detecting the database dialect", e);
        }
    }

    /**
     * The dialect of a database product as {@link DatabaseMetaData} names it. MariaDB reached
     * through MySQL's driver reports "MySQL" with "MariaDB" in its version, and is MariaDB.
     *
     * @throws NullPointerException if {@code productName} is null
     * @throws IllegalArgumentException if the product is not supported (the message lists the
     *     supported ones)
     */
    public static JdbcDialect fromProduct(String productName, String productVersion) {
        Objects.requireNonNull(productName, "productName");
        String name = productName.toLowerCase(Locale.ROOT);
        String version = productVersion == null ? "" : productVersion.toLowerCase(Locale.ROOT);
        if (name.contains("postgresql")) {
            return POSTGRESQL;
        }
        if (name.contains("mariadb") || (name.contains("mysql") && version.contains("mariadb"))) {
            return MARIADB;
        }
        if (name.contains("mysql")) {
            return MYSQL;
        }
        if (name.equals("h2")) {
            return H2;
        }
        throw new IllegalArgumentException("unsupported database \"" + productName + "\" (version "
                + productVersion + "); supported: PostgreSQL, MariaDB, MySQL, H2");
    }

    /**
     * Whether {@code e} says a row lock was not available: {@code NOWAIT} found it taken, or a
     * lock wait ran out, or the database broke a deadlock by aborting this statement.
     */
    public boolean isLockNotAvailable(SQLException e) {
        String state = e.getSQLState();
        int code = e.getErrorCode();
        switch (this) {
            case POSTGRESQL:
                return "55P03".equals(state) || "40P01".equals(state);
            case MARIADB:
            case MYSQL:
                return code == 1205 || code == 1213 || code == 3572;
            case H2:
                return code == 50200 || code == 40001 || "HYT00".equals(state);
            default:
                return false;
        }
    }

    /** Whether {@code e} is a primary key or unique constraint violation. */
    public boolean isUniqueViolation(SQLException e) {
        if (this == MARIADB || this == MYSQL) {
            return e.getErrorCode() == 1062;
        }
        return "23505".equals(e.getSQLState());
    }
}
