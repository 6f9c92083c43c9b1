package dev.latchkey.lock.jdbc;

import dev.latchkey.lock.LockLease;
import dev.latchkey.lock.LockOptions;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.time.temporal.Temporal;
import java.util.Calendar;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every expiry is computed and compared on the database's clock, so an application server whose
 * clock is hours off changes nothing. Shown two ways: no JVM time ever reaches SQL (every bound
 * value and every statement text is recorded through a wrapping DataSource while locks are
 * acquired, contended, extended, renewed and released in both modes), and expiry follows the
 * database's own values alone.
 */
class DatabaseClockTest {

    /** Larger than any lease or token a test uses, smaller than any epoch time in s, ms or ns. */
    private static final long TIME_LIKE = 1_000_000_000L;
    private static final Pattern LONG_LITERAL = Pattern.compile("\\d{10,}");

    @Test
    void postgres_noJvmTimeIsBoundIntoSql_inEitherMode() throws Exception {
        noJvmTimeIsBoundIntoSql("postgresql");
    }

    @Test
    void mariadb_noJvmTimeIsBoundIntoSql_inEitherMode() throws Exception {
        noJvmTimeIsBoundIntoSql("mariadb");
    }

    @Test
    void h2_noJvmTimeIsBoundIntoSql_inEitherMode() throws Exception {
        noJvmTimeIsBoundIntoSql("h2");
    }

    private void noJvmTimeIsBoundIntoSql(String kind) throws Exception {
        List<Object> bound = new CopyOnWriteArrayList<>();
        List<String> statements = new CopyOnWriteArrayList<>();
        DataSource recording = recording(TestPools.pool(kind), bound, statements);
        for (JdbcLockMode mode : JdbcLockMode.values()) {
            try (JdbcLockProvider a = provider(recording, mode); JdbcLockProvider b = provider(recording, mode)) {
                String name = "clock:" + UUID.randomUUID();
                LockOptions renewing = LockOptions.builder().leaseTime(Duration.ofMillis(300)).autoRenew(true).build();
                LockLease lease = a.lock(name, renewing).tryAcquire().orElseThrow();
                assertThat(b.lock(name).tryAcquire(Duration.ofMillis(200))).isEmpty();
                Thread.sleep(250);
                assertThat(lease.extend(Duration.ofSeconds(5))).isTrue();
                lease.release();
                b.lock(name).acquire(Duration.ofSeconds(5)).release();
            }
        }
        assertThat(statements).as("statements recorded").isNotEmpty();
        for (Object value : bound) {
            assertThat(value).as("a JVM date or time bound into SQL").isNotInstanceOfAny(
                    java.util.Date.class, Temporal.class, Calendar.class);
            if (value instanceof Number) {
                assertThat(Math.abs(((Number) value).longValue())).as("a bound number as large as an epoch"
                        + " time: the JVM's clock reached SQL").isLessThan(TIME_LIKE);
            }
        }
        for (String sql : statements) {
            assertThat(LONG_LITERAL.matcher(sql).find()).as("a time-sized literal in SQL text: %s", sql).isFalse();
        }
    }

    @Test
    void postgres_leaseExpiry_followsTheDatabaseValuesAlone() throws Exception {
        leaseExpiry_followsTheDatabaseValuesAlone("postgresql");
    }

    @Test
    void mariadb_leaseExpiry_followsTheDatabaseValuesAlone() throws Exception {
        leaseExpiry_followsTheDatabaseValuesAlone("mariadb");
    }

    /** An hour-long lease moved an hour back on the database is free at once for the next caller. */
    private void leaseExpiry_followsTheDatabaseValuesAlone(String kind) throws Exception {
        DataSource ds = TestPools.pool(kind);
        try (JdbcLockProvider a = provider(ds, JdbcLockMode.LEASE); JdbcLockProvider b = provider(ds, JdbcLockMode.LEASE)) {
            String name = "clock-expiry:" + UUID.randomUUID();
            LockLease lease = a.lock(name, LockOptions.builder().leaseTime(Duration.ofHours(1)).build())
                    .tryAcquire().orElseThrow();
            assertThat(b.lock(name).tryAcquire()).as("an hour-long lease").isEmpty();
            try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                    "UPDATE latchkey_clock_locks SET expires_at = expires_at - 3600001 WHERE lock_name = ?")) {
                ps.setString(1, name);
                assertThat(ps.executeUpdate()).isEqualTo(1);
            }
            LockLease next = b.lock(name).tryAcquire().orElseThrow(
                    () -> new AssertionError("a lease expired on the database's clock still blocked the lock"));
            assertThat(next.fencingToken()).isGreaterThan(lease.fencingToken());
            assertThat(lease.extend(Duration.ofSeconds(1))).as("extend of the expired lease").isFalse();
            next.release();
        }
    }

    private static JdbcLockProvider provider(DataSource ds, JdbcLockMode mode) {
        return JdbcLockProvider.builder(ds).tableName("latchkey_clock_locks").mode(mode)
                .createTableIfMissing(true).build();
    }

    /** A DataSource that records every bound parameter and every statement text, then delegates. */
    private static DataSource recording(DataSource target, List<Object> bound, List<String> statements) {
        return proxy(DataSource.class, target, (method, args, result) -> {
            if (method.getName().equals("getConnection")) {
                return proxy(Connection.class, result, (m, a, r) -> {
                    if (a != null && a.length > 0 && a[0] instanceof String) {
                        statements.add((String) a[0]);
                    }
                    if (r instanceof PreparedStatement) {
                        return proxy(PreparedStatement.class, r, (pm, pa, pr) -> {
                            if (pm.getName().startsWith("set") && pa != null && pa.length >= 2
                                    && pa[0] instanceof Integer) {
                                bound.add(pa[1]);
                            }
                            return pr;
                        });
                    }
                    if (r instanceof Statement) {
                        return proxy(Statement.class, r, (sm, sa, sr) -> {
                            if (sa != null && sa.length > 0 && sa[0] instanceof String) {
                                statements.add((String) sa[0]);
                            }
                            return sr;
                        });
                    }
                    return r;
                });
            }
            return result;
        });
    }

    private interface After {
        Object apply(java.lang.reflect.Method method, Object[] args, Object result) throws Exception;
    }

    private static <T> T proxy(Class<T> type, Object target, After after) {
        return type.cast(Proxy.newProxyInstance(DatabaseClockTest.class.getClassLoader(), new Class<?>[] {type},
                (p, method, args) -> {
                    if (method.getName().equals("unwrap") && args != null && args[0] instanceof Class
                            && !((Class<?>) args[0]).isInstance(p)) {
                        return method.invoke(target, args);
                    }
                    Object result;
                    try {
                        result = method.invoke(target, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                    return after.apply(method, args, result);
                }));
    }
}
