-- Indexes for the home list (issue 19, "queries that touch one page"): one index per offered
-- sort order and direction (vault/cases_query.py, `_SORTS`), so every page is read in index
-- order and stops after its rows, instead of sorting every case on every page. An index
-- serves its order forwards and backwards; where the directions of a sort are mixed, the
-- index declares them. Each ends in a unique key, so keyset paging (`summaries_after`)
-- can continue after any row.

-- opened, year, seq: "opened" both ways (replaces the index on opened alone).
DROP INDEX cases_opened;
CREATE INDEX cases_opened ON cases(opened, year, seq);

-- status, opened, seq, year backwards: "status" descending, and the status filter
-- (replaces the index on status and opened, which it contains).
DROP INDEX cases_status;
CREATE INDEX cases_status ON cases(status, opened, seq, year);

-- "status" ascending: status first, then the newest first.
CREATE INDEX cases_status_newest ON cases(status, opened DESC, seq DESC, year DESC);

-- "follow_up" both ways: cases without a follow-up date last in either direction.
CREATE INDEX cases_follow_up_first ON cases(next_follow_up IS NULL, next_follow_up, year, seq);
CREATE INDEX cases_follow_up_last
    ON cases(next_follow_up IS NULL, next_follow_up DESC, year, seq);

-- The yearly report (vault/stats_repo.py) counts conversations and minutes per case and
-- year: from this index alone, without reading the conversations' texts.
CREATE INDEX conversations_minutes ON conversations(case_id, date, minutes);
