-- Idempotency records on PostgreSQL. ${table} is the validated table name; NOW_MS is replaced by
-- the database clock in milliseconds since the epoch. now() is fixed for the whole statement (every
-- statement here runs in its own transaction), so one statement reads one instant. All deadlines
-- are BIGINT milliseconds on this clock, never the application's.
-- Columns: state is IN_PROGRESS, SUCCESS or FAILURE; claim_token is set only while IN_PROGRESS;
-- expires_at is the claim's deadline while IN_PROGRESS, the end of retention after completion;
-- claim_count counts the claims of one in-progress record (above 1 after a takeover).

-- @now
(floor(extract(epoch from now()) * 1000)::bigint)

-- @create
CREATE TABLE IF NOT EXISTS ${table} (
  idem_key    VARCHAR(255) NOT NULL PRIMARY KEY,
  fingerprint BYTEA        NOT NULL,
  state       VARCHAR(16)  NOT NULL,
  claim_token VARCHAR(64),
  payload     BYTEA,
  expires_at  BIGINT       NOT NULL,
  claim_count INTEGER      NOT NULL
);
CREATE INDEX IF NOT EXISTS ${table_base}_expires_at ON ${table} (expires_at)

-- @claim
-- One atomic statement: ON CONFLICT takes the row lock of an existing key, and the WHERE is
-- evaluated on the locked, latest version of the row. So it either inserts a new claim, or takes
-- over a record whose deadline passed, or changes nothing and returns no row (the key is live).
-- Params: key, fingerprint, claim token, in-progress timeout in ms.
INSERT INTO ${table} AS r (idem_key, fingerprint, state, claim_token, payload, expires_at, claim_count)
VALUES (?, ?, 'IN_PROGRESS', ?, NULL, NOW_MS + ?, 1)
ON CONFLICT (idem_key) DO UPDATE
   SET fingerprint = EXCLUDED.fingerprint,
       state       = 'IN_PROGRESS',
       claim_token = EXCLUDED.claim_token,
       payload     = NULL,
       expires_at  = EXCLUDED.expires_at,
       claim_count = CASE WHEN r.state = 'IN_PROGRESS' THEN r.claim_count + 1 ELSE 1 END
 WHERE r.expires_at <= NOW_MS
RETURNING claim_count

-- @find
-- The live record, after a claim that returned nothing. Params: key.
SELECT fingerprint, state, claim_token, payload, claim_count
  FROM ${table} WHERE idem_key = ?

-- @complete
-- Only the holder of the claim token completes; a zombie after a takeover matches no row.
-- Params: state, payload, retention in ms, key, claim token.
UPDATE ${table} SET state = ?, payload = ?, claim_token = NULL, expires_at = NOW_MS + ?
 WHERE idem_key = ? AND claim_token = ? AND state = 'IN_PROGRESS'

-- @release
-- Params: key, claim token.
DELETE FROM ${table} WHERE idem_key = ? AND claim_token = ? AND state = 'IN_PROGRESS'

-- @purge
DELETE FROM ${table} WHERE expires_at <= NOW_MS
