package dev.latchkey.idempotency.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The SQL of one dialect, read from its resource ({@code sql/<dialect>.sql} next to this class),
 * where each statement follows a {@code -- @name} line. The table name and the database clock
 * expression ({@code NOW_MS}) are substituted once, at load time.
 */
public final class IdempotencySql {

    /** The dialects with a resource. */
    public enum Dialect {
        /** PostgreSQL 12 or later. */
        POSTGRESQL("postgresql.sql"),
        /** MariaDB 10.5 or later, and MySQL 8. */
        MARIADB("mariadb.sql"),
        /** H2 2.x in its own mode. */
        H2("h2.sql");

        final String resource;

        Dialect(String resource) {
            this.resource = resource;
        }
    }

    private static final Pattern PLAIN_IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,47}");

    private final Dialect dialect;
    private final Map<String, String> statements;

    private IdempotencySql(Dialect dialect, Map<String, String> statements) {
        this.dialect = dialect;
        this.statements = statements;
    }

    /**
     * Loads the statements of {@code dialect} for {@code table}.
     *
     * @throws IllegalArgumentException if {@code table} is not a plain identifier
     */
    public static IdempotencySql load(Dialect dialect, String table) {
        tableName(table);
        Map<String, String> raw = parse(read(dialect.resource));
        String now = Objects.requireNonNull(raw.remove("now"), "@now section");
        Map<String, String> done = new HashMap<>();
        raw.forEach((name, sql) -> done.put(name, sql.replace("${table}", table).replace("NOW_MS", now)));
        return new IdempotencySql(dialect, Map.copyOf(done));
    }

    /**
     * Returns {@code table} if it is a plain SQL identifier (letters, digits, underscores, not
     * starting with a digit, at most 48 characters, so derived index names stay within limits).
     *
     * @throws NullPointerException if {@code table} is null
     * @throws IllegalArgumentException naming the bad value otherwise
     */
    public static String tableName(String table) {
        Objects.requireNonNull(table, "tableName");
        if (!PLAIN_IDENTIFIER.matcher(table).matches()) {
            throw new IllegalArgumentException("table name must be a plain identifier ([A-Za-z_][A-Za-z0-9_]*, "
                    + "at most 48 characters), was \"" + table + "\"");
        }
        return table;
    }

    /**
     * Detects the dialect from the connection's metadata.
     *
     * @throws IllegalArgumentException naming the product if it is not supported
     */
    public static Dialect detect(Connection connection) throws SQLException {
        DatabaseMetaData meta = connection.getMetaData();
        String product = meta.getDatabaseProductName();
        String lower = product == null ? "" : product.toLowerCase(Locale.ROOT);
        if (lower.contains("postgresql")) {
            return Dialect.POSTGRESQL;
        }
        if (lower.contains("mariadb") || lower.contains("mysql")) {
            return Dialect.MARIADB;
        }
        if (lower.equals("h2")) {
            return Dialect.H2;
        }
        throw new IllegalArgumentException("unsupported database \"" + product + "\": PostgreSQL, MariaDB, MySQL "
                + "and H2 are supported");
    }

    /** The dialect. */
    public Dialect dialect() {
        return dialect;
    }

    /** The statement named {@code name}. */
    public String get(String name) {
        return Objects.requireNonNull(statements.get(name), () -> "no statement @" + name + " for " + dialect);
    }

    /** The statement named {@code name} split on semicolons that end a line, for scripts of several statements. */
    public List<String> script(String name) {
        List<String> out = new ArrayList<>();
        for (String part : get(name).split(";\\s*\\n")) {
            if (!part.isBlank()) {
                out.add(part.strip());
            }
        }
        return out;
    }

    private static Map<String, String> parse(String text) {
        Map<String, String> out = new HashMap<>();
        String name = null;
        StringBuilder body = new StringBuilder();
        for (String line : text.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.startsWith("-- @")) {
                if (name != null) {
                    out.put(name, body.toString().strip());
                }
                name = trimmed.substring(4).strip();
                body.setLength(0);
            } else if (name != null && !trimmed.startsWith("--")) {
                body.append(line).append('\n');
            }
        }
        if (name != null) {
            out.put(name, body.toString().strip());
        }
        return out;
    }

    private static String read(String resource) {
        try (InputStream in = IdempotencySql.class.getResourceAsStream("sql/" + resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource sql/" + resource + " next to "
                        + IdempotencySql.class.getName());
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
