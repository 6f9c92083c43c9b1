-- Latchkey lock statements for MySQL (8.0+). Not run in this project's CI (no MySQL server);
-- they differ from MariaDB's only where MySQL lacks a feature: no sequences, no WAIT n.
-- Sections start with "-- name: <key>". ${table} is the validated table name, ${now_ms} the
-- database's clock in epoch milliseconds, :param a bound parameter.

-- name: ddl.table
CREATE TABLE IF NOT EXISTS ${table} (
    lock_name     VARCHAR(512) NOT NULL PRIMARY KEY,
    owner_token   VARCHAR(64),
    fencing_token BIGINT       NOT NULL,
    expires_at    BIGINT       NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin

-- name: now_ms
CAST(UNIX_TIMESTAMP(NOW(3)) * 1000 AS SIGNED)

-- name: lease.acquire
UPDATE ${table}
   SET owner_token = :owner, fencing_token = LAST_INSERT_ID(fencing_token + 1), expires_at = ${now_ms} + :lease_ms
 WHERE lock_name = :name AND (owner_token IS NULL OR expires_at <= ${now_ms})

-- name: lease.remaining
SELECT CASE WHEN owner_token IS NULL THEN -1 ELSE expires_at - ${now_ms} END
  FROM ${table} WHERE lock_name = :name

-- The primary key makes this atomic: of concurrent first acquirers exactly one inserts the row.
-- name: lease.insert
INSERT INTO ${table} (lock_name, owner_token, fencing_token, expires_at)
VALUES (:name, :owner, 1, ${now_ms} + :lease_ms)

-- name: lease.release
UPDATE ${table} SET owner_token = NULL
 WHERE lock_name = :name AND owner_token = :owner AND expires_at > ${now_ms}

-- name: lease.extend
UPDATE ${table} SET expires_at = ${now_ms} + :lease_ms
 WHERE lock_name = :name AND owner_token = :owner AND expires_at > ${now_ms}

-- name: row.insert
INSERT INTO ${table} (lock_name, owner_token, fencing_token, expires_at)
VALUES (:name, NULL, 0, 0)

-- name: row.lock.nowait
SELECT fencing_token FROM ${table} WHERE lock_name = :name FOR UPDATE NOWAIT

-- MySQL has no WAIT n: set the session's lock wait timeout around the statement.
-- name: row.lock.wait.before
SET SESSION innodb_lock_wait_timeout = ${wait_seconds}

-- name: row.lock.wait
SELECT fencing_token FROM ${table} WHERE lock_name = :name FOR UPDATE

-- name: row.lock.wait.after
SET SESSION innodb_lock_wait_timeout = DEFAULT

-- Without sequences the token lives in the row and advances inside the holder's transaction: a
-- holder whose connection dies before commit lets its token be issued again (see README).
-- name: row.advance
UPDATE ${table} SET owner_token = :owner, fencing_token = LAST_INSERT_ID(fencing_token + 1)
 WHERE lock_name = :name
