-- Idempotency records on MariaDB (and MySQL). ${table} is the validated table name; NOW_MS is
-- replaced by the database clock in milliseconds since the epoch, computed from UTC_TIMESTAMP(3)
-- so the session time zone and daylight saving cannot shift it. UTC_TIMESTAMP is fixed for the
-- whole statement, so one statement reads one instant. All deadlines are BIGINT milliseconds.
-- The key column is ASCII with a binary collation: keys are case-sensitive, as on the other stores.

-- @now
(TIMESTAMPDIFF(MICROSECOND, '1970-01-01 00:00:00', UTC_TIMESTAMP(3)) DIV 1000)

-- @create
CREATE TABLE IF NOT EXISTS ${table} (
  idem_key    VARCHAR(255) CHARACTER SET ascii COLLATE ascii_bin NOT NULL PRIMARY KEY,
  fingerprint VARBINARY(128) NOT NULL,
  state       VARCHAR(16)    NOT NULL,
  claim_token VARCHAR(64),
  payload     LONGBLOB,
  expires_at  BIGINT         NOT NULL,
  claim_count INT            NOT NULL,
  INDEX ${table_base}_expires_at (expires_at)
) ENGINE = InnoDB

-- @claim
-- One atomic statement: ON DUPLICATE KEY UPDATE runs under the exclusive lock of the existing row,
-- so concurrent claims for one key are serialized and each sees the previous one's result. The
-- assignments run left to right and later ones see earlier results, so every one tests the old
-- deadline: claim_count first (it reads the old state), state next, expires_at last.
-- Params: key, fingerprint, claim token, in-progress timeout in ms.
INSERT INTO ${table} (idem_key, fingerprint, state, claim_token, payload, expires_at, claim_count)
VALUES (?, ?, 'IN_PROGRESS', ?, NULL, NOW_MS + ?, 1)
ON DUPLICATE KEY UPDATE
  claim_count = IF(expires_at <= NOW_MS, IF(state = 'IN_PROGRESS', claim_count + 1, 1), claim_count),
  fingerprint = IF(expires_at <= NOW_MS, VALUES(fingerprint), fingerprint),
  claim_token = IF(expires_at <= NOW_MS, VALUES(claim_token), claim_token),
  payload     = IF(expires_at <= NOW_MS, NULL, payload),
  state       = IF(expires_at <= NOW_MS, 'IN_PROGRESS', state),
  expires_at  = IF(expires_at <= NOW_MS, VALUES(expires_at), expires_at)

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
