-- Latchkey lock statements for MariaDB (10.3+; tested on 10.11).
-- Sections start with "-- name: <key>". ${table} is the validated table name, ${now_ms} the
-- database's clock in epoch milliseconds (never the JVM's), :param a bound parameter.
-- The statements that return a token use LAST_INSERT_ID(expr): the server sends the value back
-- in the UPDATE's OK packet, read as a generated key, so no extra round trip is needed.

-- name: ddl.table
CREATE TABLE IF NOT EXISTS ${table} (
    lock_name     VARCHAR(512) NOT NULL PRIMARY KEY,
    owner_token   VARCHAR(64),
    fencing_token BIGINT       NOT NULL,
    expires_at    BIGINT       NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin

-- name: ddl.sequence
CREATE SEQUENCE IF NOT EXISTS ${table}_fencing NOCACHE

-- name: now_ms
CAST(UNIX_TIMESTAMP(NOW(3)) * 1000 AS SIGNED)

-- name: lease.acquire
UPDATE ${table}
   SET owner_token = :owner, fencing_token = LAST_INSERT_ID(fencing_token + 1), expires_at = ${now_ms} + :lease_ms
 WHERE lock_name = :name AND (owner_token IS NULL OR expires_at <= ${now_ms})

-- name: lease.remaining
SELECT CASE WHEN owner_token IS NULL THEN -1 ELSE expires_at - ${now_ms} END
  FROM ${table} WHERE lock_name = :name

-- The primary key makes this atomic: of concurrent first acquirers exactly one inserts the row;
-- the others get a duplicate key error (1062) and then compete with the UPDATE.
-- name: lease.insert
INSERT INTO ${table} (lock_name, owner_token, fencing_token, expires_at)
VALUES (:name, :owner, 1, ${now_ms} + :lease_ms)

-- name: lease.release
UPDATE ${table} SET owner_token = NULL
 WHERE lock_name = :name AND owner_token = :owner AND expires_at > ${now_ms}

-- name: lease.extend
UPDATE ${table} SET expires_at = ${now_ms} + :lease_ms
 WHERE lock_name = :name AND owner_token = :owner AND expires_at > ${now_ms}

-- A duplicate-key check waits on a row lock held by a ROW-mode holder: bound it to one second.
-- name: row.insert
SET STATEMENT innodb_lock_wait_timeout = 1 FOR
INSERT INTO ${table} (lock_name, owner_token, fencing_token, expires_at)
VALUES (:name, NULL, 0, 0)

-- name: row.lock.nowait
SELECT fencing_token FROM ${table} WHERE lock_name = :name FOR UPDATE NOWAIT

-- WAIT takes whole seconds, for this statement only.
-- name: row.lock.wait
SELECT fencing_token FROM ${table} WHERE lock_name = :name FOR UPDATE WAIT ${wait_seconds}

-- Sequences are never rolled back: a holder that dies or rolls back never lets its token be
-- issued again. The value is drawn only once the row lock is held, so tokens follow grant order.
-- name: row.advance
UPDATE ${table} SET owner_token = :owner, fencing_token = LAST_INSERT_ID(NEXTVAL(${table}_fencing))
 WHERE lock_name = :name
