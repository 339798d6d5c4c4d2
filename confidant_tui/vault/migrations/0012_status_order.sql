-- The case list sorts by status in the workflow's order (open, aftercare, closed), not by
-- the alphabet of the stored codes (issue 20). The order is the expression below, written
-- exactly as vault/cases_query.py's `STATUS_RANK` writes it (SQLite uses an index on an
-- expression only for that same expression). Within a status the newest case comes first,
-- in either direction, as before.

-- "status" ascending (open first), and a status filter while the list sorts by status.
CREATE INDEX cases_status_rank_newest ON cases(
    (CASE status WHEN 'open' THEN 0 WHEN 'aftercare' THEN 1 ELSE 2 END),
    opened DESC, seq DESC, year DESC
);

-- "status" descending (closed first), read backwards.
CREATE INDEX cases_status_rank ON cases(
    (CASE status WHEN 'open' THEN 0 WHEN 'aftercare' THEN 1 ELSE 2 END), opened, seq, year
);

-- The alphabetical order it replaces; `cases_status` (status, opened, seq, year) stays for
-- the status filter and the counts.
DROP INDEX cases_status_newest;
