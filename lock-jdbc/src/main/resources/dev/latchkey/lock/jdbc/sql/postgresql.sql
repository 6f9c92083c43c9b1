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

-- The hand-off queue (used when the provider listens for releases): a waiter's registration, in
-- arrival order (ticket), with its lease, the backend pid of its provider's LISTEN session, which a
-- release checks so that it never hands the lock to a process that has gone away, and when it
-- first registered (queued_at, the database's clock), which tells a release whether the waiter has
-- waited long enough to be handed the lock (:patience_ms, the provider's handOffAfter).
-- name: ddl.queue
CREATE TABLE IF NOT EXISTS ${table}_queue (
    lock_name    VARCHAR(512) NOT NULL,
    owner_token  VARCHAR(64)  NOT NULL,
    ticket       BIGINT       NOT NULL,
    expires_at   BIGINT       NOT NULL,
    lease_ms     BIGINT       NOT NULL,
    listener_pid INTEGER      NOT NULL,
    queued_at    BIGINT       NOT NULL,
    PRIMARY KEY (lock_name, ticket),
    UNIQUE (lock_name, owner_token)
)

-- DDL runs only for what a probe does not find: on MariaDB even CREATE ... IF NOT EXISTS of an
-- existing table waits for the metadata lock of every open transaction that touched it.
-- name: probe.table
SELECT lock_name FROM ${table} WHERE 1 = 0

-- name: probe.sequence
SELECT last_value FROM ${table}_fencing WHERE 1 = 0

-- name: probe.queue
SELECT lock_name, queued_at FROM ${table}_queue WHERE 1 = 0

-- name: now_ms
CAST(EXTRACT(EPOCH FROM statement_timestamp()) * 1000 AS BIGINT)

-- One statement: take the row if it is free or expired, advancing the fencing token. A failed
-- conditional UPDATE writes nothing; the attempt then reads the holder's remaining lease with
-- lease.remaining (which also tells a missing row from a held one).
-- name: lease.acquire
UPDATE ${table}
   SET owner_token = :owner, fencing_token = fencing_token + 1, expires_at = ${now_ms} + :lease_ms
 WHERE lock_name = :name AND (owner_token IS NULL OR expires_at <= ${now_ms})
RETURNING fencing_token

-- lease.acquire that also reads, in the same round trip, the holder's remaining lease for the case
-- the row is not taken (the CTE's SELECT sees the snapshot from before the UPDATE). A provider
-- sends it at a name it found held lately, where attempts mostly fail; elsewhere it sends
-- lease.acquire, because this read costs the server more than it saves when the attempt succeeds
-- (JdbcLockBenchmark's floors, raw on one connection, each with lease.release: 3,378 pairs/s with
-- lease.acquire, 3,113 with this statement).
-- name: lease.acquire.reporting
WITH taken AS (
    UPDATE ${table}
       SET owner_token = :owner, fencing_token = fencing_token + 1, expires_at = ${now_ms} + :lease_ms
     WHERE lock_name = :name AND (owner_token IS NULL OR expires_at <= ${now_ms})
 RETURNING fencing_token)
SELECT (SELECT fencing_token FROM taken) AS fencing_token,
       (SELECT CASE WHEN owner_token IS NULL THEN -1 ELSE expires_at - ${now_ms} END
          FROM ${table} WHERE lock_name = :name) AS remaining_ms

-- The queue statements below start with a setting, sent in the same round trip and local to their
-- transaction: no bitmap scans. Every registration inserts a queue row and every hand-off deletes
-- one, so a busy name leaves thousands of dead rows a minute until autovacuum comes. A plain index
-- scan marks the dead entries it meets, and later scans skip them (the index stays a page or two),
-- but a bitmap scan does not. Once ANALYZE has seen a busy queue the planner picks bitmap scans, and
-- each lookup walks all of the name's dead entries again: measured here with 8 providers on one
-- name, 1,382 hand-offs/s fell to 519/s within 20 s of an ANALYZE (the index grew from 16 kB to
-- 2.3 MB); with the setting the rate stayed at 1,200-1,400/s. lease.release.alone goes without it:
-- it runs only for names nobody has waited for lately.
-- name: lease.remaining
SELECT CASE WHEN owner_token IS NULL THEN -1 ELSE expires_at - ${now_ms} END
  FROM ${table} WHERE lock_name = :name

-- The primary key makes this atomic: of concurrent first acquirers exactly one inserts the row,
-- the others insert nothing (ON CONFLICT DO NOTHING) and then compete with the UPDATE.
-- name: lease.insert
INSERT INTO ${table} (lock_name, owner_token, fencing_token, expires_at)
VALUES (:name, :owner, 1, ${now_ms} + :lease_ms)
ON CONFLICT (lock_name) DO NOTHING

-- name: lease.release
UPDATE ${table} SET owner_token = NULL
 WHERE lock_name = :name AND owner_token = :owner AND expires_at > ${now_ms}

-- A waiter's attempt (the provider listens for releases): as lease.acquire.reporting, and also
-- taking a lock that a release handed to this owner; if the lock stays held, the waiter is queued
-- in the same statement, and it learns the fencing token as of this attempt: a grant published with
-- a larger token was made after it, and how long it has been queued (queued_ms, null when this
-- attempt queued it): until that reaches the provider's handOffAfter no release hands it the lock.
-- A registration is written only when missing or past half its life, so an attempt that finds a
-- fresh one writes nothing; a renewal keeps the ticket and queued_at, so the waiter's place in
-- line. The ticket is the registering transaction's id (assigned by its first write, so in arrival
-- order). An attempt that did not take the lock commits without waiting for its WAL to reach disk
-- (synchronous_commit off, for that transaction only): a registration lost in a crash only costs
-- the waiter a poll, and under contention that wait was half of every registration's time and held
-- up the release behind it. A sequence is not touched there, so no fencing value can depend on such
-- a commit.
-- name: lease.acquire.queue
SELECT set_config('enable_bitmapscan', 'off', true);
WITH taken AS (
    UPDATE ${table}
       SET owner_token = :owner, fencing_token = fencing_token + 1, expires_at = ${now_ms} + :lease_ms
     WHERE lock_name = :name AND (owner_token IS NULL OR expires_at <= ${now_ms} OR owner_token = :owner)
 RETURNING fencing_token),
current_row AS (
    SELECT fencing_token, CASE WHEN owner_token IS NULL THEN -1 ELSE expires_at - ${now_ms} END AS remaining_ms
      FROM ${table} WHERE lock_name = :name),
queued AS (
    INSERT INTO ${table}_queue (lock_name, owner_token, ticket, expires_at, lease_ms, listener_pid, queued_at)
    SELECT :name, :owner, txid_current(), ${now_ms} + :ttl_ms, :lease_ms, :pid, ${now_ms}
     WHERE NOT EXISTS (SELECT 1 FROM taken) AND EXISTS (SELECT 1 FROM current_row)
       AND NOT EXISTS (SELECT 1 FROM ${table}_queue
                        WHERE lock_name = :name AND owner_token = :owner AND listener_pid = :pid
                          AND expires_at > ${now_ms} + :renew_ms)
    ON CONFLICT (lock_name, owner_token) DO UPDATE
       SET expires_at = EXCLUDED.expires_at, lease_ms = EXCLUDED.lease_ms, listener_pid = EXCLUDED.listener_pid
 RETURNING 1),
dequeued AS (
    DELETE FROM ${table}_queue
     WHERE lock_name = :name AND owner_token = :owner AND EXISTS (SELECT 1 FROM taken)
 RETURNING 1)
SELECT (SELECT fencing_token FROM taken) AS fencing_token,
       (SELECT remaining_ms FROM current_row) AS remaining_ms,
       (SELECT fencing_token FROM current_row) AS fencing_floor,
       (SELECT ${now_ms} - queued_at FROM ${table}_queue WHERE lock_name = :name AND owner_token = :owner) AS queued_ms,
       (SELECT set_config('synchronous_commit', 'off', true) WHERE NOT EXISTS (SELECT 1 FROM taken)) AS lazy_commit

-- Release and hand on, in one statement (the provider listens for releases). The oldest live
-- registration (unexpired, its provider still listening) that has been queued for :patience_ms or
-- more is taken off the queue and gets the lock for its own lease with the next fencing token;
-- NOTIFY "g <fencing token> <owner> <name>" on its provider's own channel (latchkey$p<pid>) reaches
-- it on commit, and it holds the lock without another statement: one provider in the fleet hears of
-- the release, and waiters that have waited that long are served in arrival order. With nobody live
-- queued that long the lock is freed (younger waiters wake when they reach :patience_ms, or earlier
-- by lease.wake); if registrations of that age that are not live remain (expired, or of a listener
-- session that was replaced), "r <name>" on the table's channel wakes a waiter of that name per
-- provider to attempt. With no registration at all nothing is sent: PostgreSQL signals every
-- LISTENing session of the database for each NOTIFY (about 20 us of the releasing statement per
-- session here), so an uncontended release stays free of that. A waiter whose registration commits
-- while such a release runs finds the lock free at its next poll. Deleting the registration decides
-- the hand-off: one withdrawn concurrently (lease.withdraw) is skipped, never granted. The
-- releaser's own registration and expired ones go too. A provider's listener session holds the
-- session advisory lock (718281828, its pid) while it listens; a release that can take that lock in
-- share mode (for its own transaction) has found a provider that stopped listening or is gone. That
-- test costs a lock-table lookup, where pg_stat_get_activity copied every backend's status (50-80
-- us of this statement, measured with pgbench -r), and unlike a pid that is merely alive it only
-- passes for a session that listens.
-- name: lease.release.handoff
SELECT set_config('enable_bitmapscan', 'off', true);
WITH head AS (
    DELETE FROM ${table}_queue
     WHERE lock_name = :name AND owner_token IN (
           SELECT q.owner_token FROM ${table}_queue q
            WHERE q.lock_name = :name AND q.owner_token <> :owner AND q.expires_at > ${now_ms}
              AND q.queued_at <= ${now_ms} - :patience_ms
              AND NOT pg_try_advisory_xact_lock_shared(718281828, q.listener_pid)
              AND EXISTS (SELECT 1 FROM ${table} l
                           WHERE l.lock_name = :name AND l.owner_token = :owner AND l.expires_at > ${now_ms})
            ORDER BY q.ticket
            LIMIT 1)
 RETURNING owner_token, lease_ms, listener_pid),
stale AS (
    DELETE FROM ${table}_queue
     WHERE lock_name = :name AND (owner_token = :owner OR expires_at <= ${now_ms})),
moved AS (
    UPDATE ${table}
       SET owner_token = (SELECT owner_token FROM head),
           fencing_token = fencing_token + (SELECT COUNT(*) FROM head),
           expires_at = COALESCE(${now_ms} + (SELECT lease_ms FROM head), expires_at)
     WHERE lock_name = :name AND owner_token = :owner AND expires_at > ${now_ms}
 RETURNING owner_token, fencing_token)
SELECT CASE WHEN m.owner_token IS NOT NULL
            THEN pg_notify('latchkey$p' || (SELECT listener_pid FROM head),
                           'g ' || m.fencing_token || ' ' || m.owner_token || ' ' || :name)
            WHEN EXISTS (SELECT 1 FROM ${table}_queue WHERE lock_name = :name AND owner_token <> :owner
                           AND queued_at <= ${now_ms} - :patience_ms)
            THEN pg_notify(:channel, 'r ' || :name) END
  FROM moved m

-- The common release when the provider listens for releases: nobody has been queued for the lock
-- for :patience_ms. One conditional UPDATE frees the row only while no such registration for the
-- name is visible (live or not); otherwise, or if the lease is gone, it changes nothing and
-- lease.release.handoff follows. It sees what lease.release.handoff would see, so a registration
-- it misses (one committing while it runs) is one that statement would miss too. If it left
-- younger registrations waiting it returns how long until the oldest of them reaches :patience_ms:
-- until then no registration can (later ones are younger), so the provider's releases of the lock
-- send the plain lease.release meanwhile, and it wakes the waiters (lease.wake) if the lock is
-- still free a moment after such a release, which under heavy contention it mostly is not (the
-- releaser asks again at once and takes it back): most releases send neither a NOTIFY nor a
-- look at the queue.
-- name: lease.release.alone
UPDATE ${table} SET owner_token = NULL
 WHERE lock_name = :name AND owner_token = :owner AND expires_at > ${now_ms}
   AND NOT EXISTS (SELECT 1 FROM ${table}_queue
                    WHERE lock_name = :name AND queued_at <= ${now_ms} - :patience_ms)
RETURNING 1 AS released,
          (SELECT MIN(queued_at) FROM ${table}_queue WHERE lock_name = :name)
              + :patience_ms - ${now_ms} AS hand_off_in_ms

-- Wakes a waiter of the lock per provider ("r <name>" on the table's channel) if the lock is free
-- and somebody is queued for it: sent a moment after a release that left only younger waiters
-- behind, if the releasing provider has not taken the lock again since.
-- name: lease.wake
SELECT pg_notify(:channel, 'r ' || :name)
  FROM ${table}
 WHERE lock_name = :name AND owner_token IS NULL
   AND EXISTS (SELECT 1 FROM ${table}_queue WHERE lock_name = :name)

-- A waiter that gives up leaves the queue; then it releases (and hands on) a lock a release may
-- have handed it meanwhile. This runs first and on its own: once it has committed, no release can
-- still pick the registration.
-- name: lease.withdraw
SELECT set_config('enable_bitmapscan', 'off', true);
DELETE FROM ${table}_queue WHERE lock_name = :name AND owner_token = :owner

-- A provider that stops listening (no waiter for a while) takes out what is still registered under
-- its listener session, so that no release hands a lock to a session that no longer hears it.
-- Normally nothing: a waiter that gives up withdraws its own registration. It also sweeps out
-- registrations that expired a minute ago or more, of any name: a release drops the expired ones of
-- its own lock, but a lock that is never released again would keep those of waiters that vanished.
-- (A live waiter renews its registration several times a second.)
-- name: lease.forget
DELETE FROM ${table}_queue WHERE listener_pid = :pid OR expires_at <= ${now_ms} - 60000

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
