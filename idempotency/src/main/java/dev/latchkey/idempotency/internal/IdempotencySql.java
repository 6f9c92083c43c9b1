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
import java.util.Map;
import java.util.Objects;
import dev.latchkey.lock.jdbc.spi.JdbcDialect;
import dev.latchkey.lock.jdbc.spi.SqlIdentifiers;

/**
 * The SQL of one dialect, read from its resource ({@code sql/<dialect>.sql} next to this class),
 * where each statement follows a {@code -- @name} line. The table name and the database clock
 * expression ({@code NOW_MS}) are substituted once, at load time.
 */
public final class IdempotencySql {

    private final JdbcDialect dialect;
    private final Map<String, String> statements;

    private IdempotencySql(JdbcDialect dialect, Map<String, String> statements) {
        this.dialect = dialect;
        this.statements = statements;
    }

    /**
     * Loads the statements of {@code dialect} for {@code table} (MySQL shares MariaDB's SQL).
     * {@code ${table}} is the name as given, {@code ${table_base}} its part after any schema.
     *
     * @throws IllegalArgumentException if {@code table} is not a plain, optionally
     *     schema-qualified, identifier
     */
    public static IdempotencySql load(JdbcDialect dialect, String table) {
        SqlIdentifiers.tableName(table);
        String base = table.substring(table.indexOf('.') + 1);
        String resource = (dialect == JdbcDialect.MYSQL ? JdbcDialect.MARIADB : dialect).resourceName() + ".sql";
        Map<String, String> raw = parse(read(resource));
        String now = Objects.requireNonNull(raw.remove("now"), "@now section");
        Map<String, String> done = new HashMap<>();
        raw.forEach((name, sql) -> done.put(name, sql.replace("${table_base}", base).replace("${table}", table)
                .replace("NOW_MS", now)));
        return new IdempotencySql(dialect, Map.copyOf(done));
    }

    /**
     * Detects the dialect from the connection's metadata.
     *
     * @throws IllegalArgumentException naming the product if it is not supported
     */
    public static JdbcDialect detect(Connection connection) throws SQLException {
        DatabaseMetaData meta = connection.getMetaData();
        return JdbcDialect.fromProduct(meta.getDatabaseProductName(), meta.getDatabaseProductVersion());
    }

    /** The dialect. */
    public JdbcDialect dialect() {
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
