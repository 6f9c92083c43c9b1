package dev.latchkey.lock.jdbc.spi;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Checks identifiers that are written into SQL text (a table name cannot be a bound parameter),
 * so nothing a caller passes is ever concatenated into SQL unchecked.
 *
 * @since 0.1
 */
public final class SqlIdentifiers {

    /**
     * The longest part of a table name. PostgreSQL truncates identifiers at 63 bytes; 54 leaves
     * room for suffixes such as {@code _fencing} on objects derived from the table's name.
     */
    public static final int MAX_PART_LENGTH = 54;

    private static final Pattern PART = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private SqlIdentifiers() {
    }

    /**
     * Returns {@code name} if it is a plain table name, optionally schema-qualified: one or two
     * parts separated by a dot, each an ASCII letter or underscore followed by letters, digits or
     * underscores, at most {@value #MAX_PART_LENGTH} characters. No quotes, spaces or other
     * characters, so the name is safe to write into SQL as it is (unquoted, so each database
     * applies its usual case folding).
     *
     * @throws NullPointerException if {@code name} is null
     * @throws IllegalArgumentException naming the bad value otherwise
     */
    public static String tableName(String name) {
        Objects.requireNonNull(name, "tableName");
        String[] parts = name.split("\\.", -1);
        if (parts.length > 2) {
            throw new IllegalArgumentException("table name must be 'table' or 'schema.table', was \"" + name + "\"");
        }
        for (String part : parts) {
            if (!PART.matcher(part).matches()) {
                throw new IllegalArgumentException("table name must be a plain identifier ([A-Za-z_][A-Za-z0-9_]*,"
                        + " optionally schema-qualified), was \"" + name + "\"");
            }
            if (part.length() > MAX_PART_LENGTH) {
                throw new IllegalArgumentException("table name part \"" + part + "\" is " + part.length()
                        + " characters, more than the " + MAX_PART_LENGTH + " allowed");
            }
        }
        return name;
    }
}
