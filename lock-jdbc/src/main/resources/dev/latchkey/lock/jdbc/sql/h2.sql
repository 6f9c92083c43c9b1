-- Latchkey lock statements for H2 (2.x).
-- Sections start with "-- name: <key>". ${table} is the validated table name, ${now_ms} the
-- database's clock in epoch milliseconds, :param a bound parameter. Embedded H2's clock is the
-- JVM's own; a server H2 uses the server's.

-- name: ddl.table
CREATE TABLE IF NOT EXISTS ${table} (
    lock_name     VARCHAR(512) NOT NULL PRIMARY KEY,
    owner_token   VARCHAR(64),
    fencing_token BIGINT       NOT NULL,
    expires_at    BIGINT       NOT NULL
)

-- name: ddl.sequence
CREATE SEQUENCE IF NOT EXISTS ${table}_fencing

-- name: now_ms
CAST(EXTRACT(EPOCH FROM CURRENT_TIMESTAMP) * 1000 AS BIGINT)

-- One statement: FINAL TABLE returns the updated row, or no row when the lock is held.
-- name: lease.acquire
SELECT fencing_token FROM FINAL TABLE (
    UPDATE ${table}
       SET owner_token = :owner, fencing_token = fencing_token + 1, expires_at = ${now_ms} + :lease_ms
     WHERE lock_name = :name AND (owner_token IS NULL OR expires_at <= ${now_ms}))

-- name: lease.remaining
SELECT CASE WHEN owner_token IS NULL THEN -1 ELSE expires_at - ${now_ms} END
  FROM ${table} WHERE lock_name = :name

-- The primary key makes this atomic: of concurrent first acquirers exactly one inserts the row;
-- the others get a unique violation (23505) and then compete with the UPDATE.
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

-- WAIT takes seconds with a fraction, for this statement only.
-- name: row.lock.wait
SELECT fencing_token FROM ${table} WHERE lock_name = :name FOR UPDATE WAIT ${wait_seconds_fraction}

-- Sequences are never rolled back: a holder that dies or rolls back never lets its token be
-- issued again. The value is drawn only once the row lock is held, so tokens follow grant order.
-- name: row.advance
SELECT fencing_token FROM FINAL TABLE (
    UPDATE ${table} SET owner_token = :owner, fencing_token = NEXT VALUE FOR ${table}_fencing
     WHERE lock_name = :name)
