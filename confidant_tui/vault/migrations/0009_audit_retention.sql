-- The audit chain, case numbers that are never reused, and postponed destructions (issue
-- "An audit chain, and retention that truly destroys a case while the yearly figures
-- stay").

-- Every act that matters, in the order it happened: the action (a stable key), the moment,
-- the case code (kept after the case is destroyed) and a detail that is never content (a
-- count, a file format, a status key). Each entry's MAC (HMAC-SHA256 under a key derived
-- from the data key, see vault/audit_chain.py) covers its own fields and the previous
-- entry's MAC, so removing, altering, reordering or inserting an entry breaks the chain;
-- the last MAC (the head) joins the commit counter's MAC in the header, so cutting off the
-- tail is caught too. Append-only: the triggers refuse every change.
CREATE TABLE audit_log (
    id        INTEGER PRIMARY KEY,
    at        TEXT NOT NULL
              CHECK (at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]'),
    action    TEXT NOT NULL CHECK (action GLOB '[a-z]*' AND length(action) <= 60),
    case_code TEXT CHECK (case_code IS NULL OR length(case_code) <= 40),
    detail    TEXT CHECK (detail IS NULL OR length(detail) <= 200),
    mac       TEXT NOT NULL CHECK (length(mac) = 64)
) STRICT;

CREATE INDEX audit_log_case ON audit_log(case_code, id);

CREATE TRIGGER audit_log_append_only_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;

CREATE TRIGGER audit_log_append_only_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;

-- The highest case number ever issued per year: a destroyed case's code is never handed out
-- again (the audit log and old backups still name it).
CREATE TABLE case_numbers (
    year     INTEGER PRIMARY KEY,
    last_seq INTEGER NOT NULL CHECK (last_seq >= 0)
) STRICT;

INSERT INTO case_numbers(year, last_seq) SELECT year, max(seq) FROM cases GROUP BY year;

-- A destruction the adviser postponed: until when, and why (kept, shown and audited).
CREATE TABLE retention_postponements (
    id         INTEGER PRIMARY KEY,
    case_id    INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    until      TEXT NOT NULL CHECK (until GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    reason     TEXT NOT NULL CHECK (length(trim(reason)) > 0),
    decided_at TEXT NOT NULL
               CHECK (decided_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]')
) STRICT;

CREATE INDEX retention_postponements_case ON retention_postponements(case_id, id);
