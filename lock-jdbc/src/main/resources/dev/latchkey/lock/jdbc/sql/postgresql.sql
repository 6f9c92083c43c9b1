-- Latchkey lock statements for PostgreSQL (9.5+; tested on 15).
-- Sections start with "-- name: <key>". ${table} is the validated table name, ${now_ms} the
-- database's clock in epoch milliseconds (never the JVM's), :param a bound parameter.
-- expires_at is epoch milliseconds on the database's clock; one unit everywhere.

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
CAST(EXTRACT(EPOCH FROM statement_timestamp()) * 1000 AS BIGINT)

-- One statement: take the row if it is free or expired, advancing the fencing token, and in the
-- same round trip read the holder's remaining lease for the case it is not (the CTE's SELECT sees
-- the snapshot from before the UPDATE). A failed conditional UPDATE writes nothing.
-- name: lease.acquire
WITH taken AS (
    UPDATE ${table}
       SET owner_token = :owner, fencing_token = fencing_token + 1, expires_at = ${now_ms} + :lease_ms
     WHERE lock_name = :name AND (owner_token IS NULL OR expires_at <= ${now_ms})
 RETURNING fencing_token)
SELECT (SELECT fencing_token FROM taken) AS fencing_token,
       (SELECT CASE WHEN owner_token IS NULL THEN -1 ELSE expires_at - ${now_ms} END
          FROM ${table} WHERE lock_name = :name) AS remaining_ms

-- name: lease.remaining
SELECT CASE WHEN owner_token IS NULL THEN -1 ELSE expires_at - ${now_ms} END
  FROM ${table} WHERE lock_name = :name

-- The primary key makes this atomic: of concurrent first acquirers exactly one inserts the row,
-- the others insert nothing (ON CONFLICT DO NOTHING) and then compete with the UPDATE.
-- name: lease.insert
INSERT INTO ${table} (lock_name, owner_token, fencing_token, expires_at)
VALUES (:name, :owner, 1, ${now_ms} + :lease_ms)
ON CONFLICT (lock_name) DO NOTHING

-- Release and wake waiters in one statement: NOTIFY is delivered when this commits.
-- name: lease.release
WITH freed AS (
    UPDATE ${table} SET owner_token = NULL
     WHERE lock_name = :name AND owner_token = :owner AND expires_at > ${now_ms}
 RETURNING lock_name)
SELECT pg_notify(:channel, lock_name) FROM freed

-- name: lease.extend
UPDATE ${table} SET expires_at = ${now_ms} + :lease_ms
 WHERE lock_name = :name AND owner_token = :owner AND expires_at > ${now_ms}

-- name: row.insert
INSERT INTO ${table} (lock_name, owner_token, fencing_token, expires_at)
VALUES (:name, NULL, 0, 0)
ON CONFLICT (lock_name) DO NOTHING

-- name: row.lock.nowait
SELECT fencing_token FROM ${table} WHERE lock_name = :name FOR UPDATE NOWAIT

-- lock_timeout is set LOCAL to the transaction, so the pooled connection keeps its own setting.
-- name: row.lock.wait.before
SELECT set_config('lock_timeout', '${wait_ms}ms', true)

-- name: row.lock.wait
SELECT fencing_token FROM ${table} WHERE lock_name = :name FOR UPDATE

-- Sequences are never rolled back: a holder that dies or rolls back never lets its token be
-- issued again. nextval runs only once the row lock is held, so tokens follow the grant order.
-- name: row.advance
UPDATE ${table} SET owner_token = :owner, fencing_token = nextval('${table}_fencing')
 WHERE lock_name = :name
RETURNING fencing_token
