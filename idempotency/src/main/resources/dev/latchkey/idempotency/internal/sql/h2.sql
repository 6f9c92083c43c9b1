-- Idempotency records on H2 (its own mode). ${table} is the validated table name; NOW_MS is
-- replaced by the database clock in milliseconds since the epoch. CURRENT_TIMESTAMP is fixed for
-- the whole command. All deadlines are BIGINT milliseconds on this clock.

-- @now
CAST(EXTRACT(EPOCH FROM CURRENT_TIMESTAMP) * 1000 AS BIGINT)

-- @create
CREATE TABLE IF NOT EXISTS ${table} (
  idem_key    VARCHAR(255)   NOT NULL PRIMARY KEY,
  fingerprint VARBINARY(128) NOT NULL,
  state       VARCHAR(16)    NOT NULL,
  claim_token VARCHAR(64),
  payload     BLOB,
  expires_at  BIGINT         NOT NULL,
  claim_count INT            NOT NULL
);
CREATE INDEX IF NOT EXISTS ${table}_expires_at ON ${table} (expires_at)

-- @claim
-- One statement: MERGE either inserts a new claim or, under the lock of the existing row, takes
-- over a record whose deadline passed; otherwise it changes nothing. SET expressions read the old
-- row, as the SQL standard says. Two MERGEs inserting the same new key at once make one fail with
-- a duplicate key (23505); the store then decides again from what is there.
-- Params: key, fingerprint, claim token, in-progress timeout in ms.
MERGE INTO ${table} r
USING (VALUES (CAST(? AS VARCHAR(255)), CAST(? AS VARBINARY(128)), CAST(? AS VARCHAR(64)), CAST(? AS BIGINT)))
      AS s (idem_key, fingerprint, claim_token, timeout_ms)
   ON r.idem_key = s.idem_key
 WHEN MATCHED AND r.expires_at <= NOW_MS THEN UPDATE
   SET fingerprint = s.fingerprint,
       state       = 'IN_PROGRESS',
       claim_token = s.claim_token,
       payload     = NULL,
       expires_at  = NOW_MS + s.timeout_ms,
       claim_count = CASE WHEN r.state = 'IN_PROGRESS' THEN r.claim_count + 1 ELSE 1 END
 WHEN NOT MATCHED THEN INSERT (idem_key, fingerprint, state, claim_token, payload, expires_at, claim_count)
   VALUES (s.idem_key, s.fingerprint, 'IN_PROGRESS', s.claim_token, NULL, NOW_MS + s.timeout_ms, 1)

-- @find
-- The record after the claim statement: if it holds our token we claimed it. Params: key.
SELECT fingerprint, state, claim_token, payload, claim_count
  FROM ${table} WHERE idem_key = ?

-- @complete
-- Params: state, payload, retention in ms, key, claim token.
UPDATE ${table} SET state = ?, payload = ?, claim_token = NULL, expires_at = NOW_MS + ?
 WHERE idem_key = ? AND claim_token = ? AND state = 'IN_PROGRESS'

-- @release
-- Params: key, claim token.
DELETE FROM ${table} WHERE idem_key = ? AND claim_token = ? AND state = 'IN_PROGRESS'

-- @purge
DELETE FROM ${table} WHERE expires_at <= NOW_MS
