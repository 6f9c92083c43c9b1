package dev.latchkey.examples;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.latchkey.idempotency.Idempotency;
import dev.latchkey.idempotency.InMemoryIdempotencyStore;
import dev.latchkey.idempotency.JdbcIdempotencyStore;
import dev.latchkey.idempotency.RedisIdempotencyStore;
import dev.latchkey.idempotency.spi.IdempotencyStore;
import dev.latchkey.lock.LocalLockProvider;
import dev.latchkey.lock.LockProvider;
import dev.latchkey.lock.jdbc.JdbcLockMode;
import dev.latchkey.lock.jdbc.JdbcLockProvider;
import dev.latchkey.lock.redis.RedisLockProvider;
import redis.clients.jedis.JedisPooled;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The servers the scenarios run on. With nothing given: the in-JVM lock and an embedded H2
 * database. With a Redis URI: the Redis lock (and Redis idempotency store). With a JDBC URL: that
 * database for the scenarios' data (and, without Redis, its lock table and idempotency table).
 */
public final class Backends implements AutoCloseable {

    /** Which lock backend the scenarios' {@code DistributedLock}s come from. */
    public enum LockBackend { LOCAL, REDIS, JDBC }

    private final String runId = UUID.randomUUID().toString().substring(0, 8);
    private final Optional<String> redisUri;
    private final DataSource dataSource;
    private final String databaseLabel;
    private final boolean embeddedDatabase;
    private final LockBackend lockBackend;
    private final Deque<AutoCloseable> toClose = new ArrayDeque<>();
    private LockProvider locks;
    private JdbcLockProvider rowLocks;
    private JedisPooled jedis;
    private IdempotencyStore idempotencyStore;

    private Backends(Builder b) {
        this.redisUri = Optional.ofNullable(b.redisUri);
        if (b.jdbcUrl != null) {
            HikariDataSource ds = pool(b.jdbcUrl, b.user, b.password);
            toClose.push(ds);
            this.dataSource = ds;
            this.databaseLabel = databaseName(b.jdbcUrl);
            this.embeddedDatabase = false;
        } else {
            HikariDataSource ds = pool("jdbc:h2:mem:latchkey-examples-" + runId
                    + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000", "sa", "");
            toClose.push(ds);
            this.dataSource = ds;
            this.databaseLabel = "embedded H2 (in memory)";
            this.embeddedDatabase = true;
        }
        this.lockBackend = b.lockBackend != null ? b.lockBackend
                : b.redisUri != null ? LockBackend.REDIS
                : b.jdbcUrl != null ? LockBackend.JDBC
                : LockBackend.LOCAL;
        if (lockBackend == LockBackend.REDIS && b.redisUri == null) {
            throw new IllegalArgumentException("the Redis lock backend needs a Redis URI");
        }
    }

    /** In-JVM lock, embedded H2, in-memory idempotency store. */
    public static Backends embedded() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The scenarios' database. */
    public DataSource dataSource() {
        return dataSource;
    }

    /** True when the database is the embedded H2. */
    public boolean embeddedDatabase() {
        return embeddedDatabase;
    }

    /** The Redis URI, when one was given. */
    public Optional<String> redisUri() {
        return redisUri;
    }

    /** The lock provider the scenarios share, built on first use. */
    public synchronized LockProvider locks() {
        if (locks == null) {
            locks = closeLater(switch (lockBackend) {
                case LOCAL -> new LocalLockProvider();
                case REDIS -> RedisLockProvider.builder(jedis()).build();
                case JDBC -> JdbcLockProvider.builder(dataSource).mode(JdbcLockMode.LEASE)
                        .createTableIfMissing(true).build();
            });
        }
        return locks;
    }

    /**
     * Row-mode database locks on the scenarios' database (a {@code SELECT ... FOR UPDATE} held by
     * the lease's open transaction), whatever the other locks are: the wallet's pattern.
     */
    public synchronized JdbcLockProvider rowLocks() {
        if (rowLocks == null) {
            rowLocks = closeLater(JdbcLockProvider.builder(dataSource).mode(JdbcLockMode.ROW)
                    .tableName("latchkey_row_locks").createTableIfMissing(true).build());
        }
        return rowLocks;
    }

    /** A Jedis client on the given Redis. */
    public synchronized JedisPooled jedis() {
        if (jedis == null) {
            jedis = closeLater(new JedisPooled(URI.create(redisUri.orElseThrow(
                    () -> new IllegalStateException("no Redis URI was given")))));
        }
        return jedis;
    }

    /**
     * The idempotency store: Redis when given, else a table in the scenarios' database when a real
     * one was given, else in memory.
     */
    public synchronized IdempotencyStore idempotencyStore() {
        if (idempotencyStore == null) {
            if (redisUri.isPresent()) {
                idempotencyStore = closeLater(RedisIdempotencyStore.builder(jedis()).build());
            } else if (!embeddedDatabase) {
                idempotencyStore = JdbcIdempotencyStore.builder(dataSource).createTableIfMissing(true).build();
            } else {
                idempotencyStore = InMemoryIdempotencyStore.create();
            }
        }
        return idempotencyStore;
    }

    /** Idempotency on {@link #idempotencyStore()}, as {@link #idempotencyBuilder()} configures it. */
    public Idempotency idempotency() {
        return idempotencyBuilder().build();
    }

    /**
     * A builder on {@link #idempotencyStore()}: a claim that outlives any example's action, and
     * responses kept 10 minutes (not the default day: these keys are a demo's, on a shared server).
     */
    public Idempotency.Builder idempotencyBuilder() {
        return Idempotency.builder(idempotencyStore())
                .inProgressTimeout(Duration.ofSeconds(30))
                .retention(Duration.ofMinutes(10));
    }

    /** Where the scenarios' locks live. */
    public LockBackend lockBackend() {
        return lockBackend;
    }

    /**
     * A name unique to this run, so runs against shared servers never meet:
     * {@code "inventory:laptop"} becomes {@code "lkx-<run>:inventory:laptop"}.
     */
    public String scoped(String name) {
        return "lkx-" + runId + ":" + name;
    }

    /** One paragraph that says which backends are in use. */
    public String describe() {
        String locks = switch (lockBackend) {
            case LOCAL -> "in-JVM (LocalLockProvider)";
            case REDIS -> "Redis token lock at " + redisUri.orElseThrow();
            case JDBC -> "database lease table in " + databaseLabel;
        };
        String redis = redisUri.map(u -> "Redis " + u)
                .orElse("no Redis (pass --redis redis://host:port for redis-stock)");
        String store = redisUri.isPresent() ? "Redis (RedisIdempotencyStore)"
                : embeddedDatabase ? "in memory (InMemoryIdempotencyStore)"
                : "table in " + databaseLabel + " (JdbcIdempotencyStore)";
        return "locks: " + locks + "\n"
                + "database: " + databaseLabel + "\n"
                + "idempotency keys: " + store + "\n"
                + "redis: " + redis;
    }

    /** Registers something to close with these backends, most recent first. */
    <T extends AutoCloseable> T closeLater(T resource) {
        toClose.push(resource);
        return resource;
    }

    @Override
    public void close() {
        RuntimeException failure = null;
        while (!toClose.isEmpty()) {
            try {
                toClose.pop().close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = new IllegalStateException("closing the backends failed", e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private static HikariDataSource pool(String url, String user, String password) {
        HikariConfig c = new HikariConfig();
        c.setJdbcUrl(url);
        if (user != null) {
            c.setUsername(user);
        }
        if (password != null) {
            c.setPassword(password);
        }
        // Room for every client of the biggest crowd plus the row-mode locks they hold.
        c.setMaximumPoolSize(48);
        c.setMinimumIdle(0);
        c.setConnectionTimeout(10_000);
        c.setPoolName("latchkey-examples");
        return new HikariDataSource(c);
    }

    private static String databaseName(String url) {
        int q = url.indexOf('?');
        String shown = q < 0 ? url : url.substring(0, q);
        return shown.startsWith("jdbc:h2:") ? "H2 " + shown : shown;
    }

    /** Chooses the servers. Without any setting: in-JVM lock and embedded H2. */
    public static final class Builder {
        private String redisUri;
        private String jdbcUrl;
        private String user;
        private String password;
        private LockBackend lockBackend;

        private Builder() {
        }

        /** Use Redis at this URI, for example {@code redis://127.0.0.1:6379}. Default: none. */
        public Builder redis(String uri) {
            Objects.requireNonNull(uri, "uri");
            if (!uri.startsWith("redis://") && !uri.startsWith("rediss://")) {
                throw new IllegalArgumentException("a Redis URI starts with redis:// or rediss://: " + uri);
            }
            this.redisUri = uri;
            return this;
        }

        /** Use this database (credentials in the URL or given here). Default: embedded H2. */
        public Builder jdbc(String url, String user, String password) {
            Objects.requireNonNull(url, "url");
            if (!url.startsWith("jdbc:")) {
                throw new IllegalArgumentException("a JDBC URL starts with jdbc: " + url);
            }
            this.jdbcUrl = url;
            this.user = user;
            this.password = password;
            return this;
        }

        /** Forces the lock backend. Default: Redis if given, else the JDBC database if given, else in-JVM. */
        public Builder locks(LockBackend backend) {
            this.lockBackend = Objects.requireNonNull(backend, "backend");
            return this;
        }

        public Backends build() {
            return new Backends(this);
        }
    }
}
