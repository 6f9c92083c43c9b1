package dev.latchkey.lock.jdbc.internal;

import dev.latchkey.lock.jdbc.spi.JdbcDialect;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The statements of one dialect for one table, read from the dialect's resource
 * ({@code dev/latchkey/lock/jdbc/sql/<dialect>.sql}). Sections start with {@code -- name: key};
 * {@code ${table}} and {@code ${now_ms}} are replaced when loaded (the table name is validated
 * before it gets here), {@code :param} markers become {@code ?} with their order remembered.
 */
public final class DialectSql {

    private static final Pattern HEADER = Pattern.compile("^--\\s*name:\\s*(\\S+)\\s*$");
    private static final Pattern PARAM = Pattern.compile("(?<![:\\w]):([a-z_]+)");

    private final JdbcDialect dialect;
    private final Map<String, String> raw;

    private DialectSql(JdbcDialect dialect, Map<String, String> raw) {
        this.dialect = dialect;
        this.raw = raw;
    }

    /** Loads the statements of {@code dialect} for the (validated) {@code table}. */
    public static DialectSql load(JdbcDialect dialect, String table) {
        Map<String, String> sections = sections(resourceText(dialect));
        String now = sections.get("now_ms");
        Map<String, String> raw = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : sections.entrySet()) {
            String sql = e.getValue().replace("${table}", table);
            if (now != null) {
                sql = sql.replace("${now_ms}", now);
            }
            raw.put(e.getKey(), sql);
        }
        return new DialectSql(dialect, raw);
    }

    /** The raw text of {@code dialect}'s resource. */
    public static String resourceText(JdbcDialect dialect) {
        String path = "/dev/latchkey/lock/jdbc/sql/" + dialect.resourceName() + ".sql";
        try (InputStream in = DialectSql.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Map<String, String> sections(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        String key = null;
        StringBuilder body = new StringBuilder();
        for (String line : text.split("\n", -1)) {
            Matcher m = HEADER.matcher(line.trim());
            if (m.matches()) {
                if (key != null) {
                    out.put(key, body.toString().trim());
                }
                key = m.group(1);
                body.setLength(0);
            } else if (key != null && !line.trim().startsWith("--")) {
                body.append(line).append('\n');
            }
        }
        if (key != null) {
            out.put(key, body.toString().trim());
        }
        return out;
    }

    /** The dialect these statements are for. */
    public JdbcDialect dialect() {
        return dialect;
    }

    /** Whether the dialect has a statement named {@code key}. */
    public boolean has(String key) {
        return raw.containsKey(key);
    }

    /** The DDL statements, in the order the resource lists them. */
    public List<String> ddl() {
        List<String> out = new ArrayList<>();
        for (Ddl d : ddlWithProbes()) {
            out.add(d.create());
        }
        return out;
    }

    /** Each DDL statement with the query that succeeds when its object exists (or null). */
    public List<Ddl> ddlWithProbes() {
        List<Ddl> out = new ArrayList<>();
        raw.forEach((k, v) -> {
            if (k.startsWith("ddl.")) {
                out.add(new Ddl(v, raw.get("probe." + k.substring("ddl.".length()))));
            }
        });
        return out;
    }

    /**
     * One DDL statement.
     *
     * @param create the statement
     * @param probe a query that succeeds when the object exists, or null
     */
    public record Ddl(String create, String probe) {
    }

    /** The statement {@code key}, with {@code ${var}} replaced by the given numeric values. */
    public Statement statement(String key, Object... vars) {
        String sql = raw.get(key);
        if (sql == null) {
            throw new IllegalStateException(dialect.displayName() + " has no statement '" + key + "'");
        }
        for (int i = 0; i + 1 < vars.length; i += 2) {
            // Only numbers are substituted into text, never caller strings.
            Number value = (Number) vars[i + 1];
            sql = sql.replace("${" + vars[i] + "}", value.toString());
        }
        List<String> params = new ArrayList<>();
        Matcher m = PARAM.matcher(sql);
        StringBuilder jdbc = new StringBuilder();
        while (m.find()) {
            params.add(m.group(1));
            m.appendReplacement(jdbc, "?");
        }
        m.appendTail(jdbc);
        return new Statement(key, jdbc.toString(), List.copyOf(params));
    }

    /**
     * One statement: its JDBC text and its parameter names in {@code ?} order.
     *
     * @param key the resource section name
     * @param sql the text with {@code ?} placeholders
     * @param params parameter names, one per placeholder
     * @param preludes how many settings statements come before the main one in the same round
     *     trip (each a line ending in {@code ;}, at the start of the text); their results are
     *     skipped, and the main statement's result is the statement's result
     * @param returnsRows whether the main statement returns rows (a SELECT, a CTE ending in
     *     SELECT, an UPDATE ... RETURNING)
     */
    public record Statement(String key, String sql, List<String> params, int preludes, boolean returnsRows) {

        /** A statement read from {@code sql}: its preludes counted, its main statement's kind seen. */
        public Statement(String key, String sql, List<String> params) {
            this(key, sql, params, preludeCount(sql), returnsRows(mainStatement(sql)));
        }

        private static int preludeCount(String sql) {
            int n = 0;
            Matcher m = PRELUDE_END.matcher(sql);
            while (m.find()) {
                n++;
            }
            return n;
        }

        private static String mainStatement(String sql) {
            String[] parts = PRELUDE_END.split(sql, -1);
            return parts[parts.length - 1];
        }

        private static boolean returnsRows(String main) {
            String head = main.stripLeading().toUpperCase(java.util.Locale.ROOT);
            return head.startsWith("SELECT") || head.startsWith("WITH")
                    || (head.startsWith("UPDATE") && head.contains("RETURNING"));
        }
    }

    /** Where a prelude statement ends: a semicolon that ends its line. */
    private static final Pattern PRELUDE_END = Pattern.compile(";[ \\t]*\\r?\\n");
}
