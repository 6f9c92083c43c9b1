package dev.latchkey.lock.jdbc;

import javax.sql.DataSource;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.List;

/**
 * Wraps a real DataSource and records every statement text prepared or executed and every value
 * bound, then delegates: a recorder around the real database, not a stand-in for it.
 */
final class RecordingDataSource {

    private RecordingDataSource() {
    }

    /** A DataSource that records every bound parameter and every statement text, then delegates. */
    static DataSource wrap(DataSource target, List<Object> bound, List<String> statements) {
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
        return type.cast(Proxy.newProxyInstance(RecordingDataSource.class.getClassLoader(), new Class<?>[] {type},
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
