-- Yearly reports: each report handed out, kept as published (so it can be reproduced and
-- repeated as next year's "previous"), and the anonymous statistical records of destroyed
-- cases (no code, name, text or date finer than the year; see domain/statistics.py).

CREATE TABLE published_reports (
    id              INTEGER PRIMARY KEY,
    year            INTEGER NOT NULL CHECK (year BETWEEN 1900 AND 9999),
    -- NULL: a report over every organisation of the vault
    organisation_id INTEGER REFERENCES organisations(id),
    published_on    TEXT NOT NULL
                    CHECK (published_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    threshold       INTEGER NOT NULL CHECK (threshold BETWEEN 3 AND 20),
    format          TEXT NOT NULL CHECK (format IN ('md', 'csv', 'json', 'pdf')),
    -- the report exactly as published (the JSON shape, with "previous")
    figures         TEXT NOT NULL CHECK (json_valid(figures) AND json_type(figures) = 'object')
) STRICT;
CREATE INDEX published_reports_year ON published_reports(organisation_id, year, id);

CREATE TRIGGER published_reports_kept BEFORE UPDATE ON published_reports
BEGIN
    SELECT RAISE(ABORT, 'a published report is kept as it was published');
END;

CREATE TABLE stat_records (
    id              INTEGER PRIMARY KEY,
    organisation_id INTEGER REFERENCES organisations(id),
    year_opened     INTEGER NOT NULL CHECK (year_opened BETWEEN 1900 AND 9999),
    record          TEXT NOT NULL CHECK (json_valid(record) AND json_type(record) = 'object')
) STRICT;
CREATE INDEX stat_records_organisation ON stat_records(organisation_id, year_opened);
