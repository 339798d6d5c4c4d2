-- Organisations with their own rules, structured outcomes, and the adviser's work outside
-- cases (issue "Each organisation its own rules"). Until 0.1.x every rule was a global
-- setting in a plaintext file; the app moves an old settings file's values into the vault
-- once (services/organisations.py, `settle`), so nothing naming an organisation stays
-- outside it.

-- The organisation's rules as JSON, read and validated by domain/organisation.py
-- (`OrganisationRules`): units and escalation chain, the names of its bodies, complaint and
-- melding rules, mediation, the adviser's role, the "vertrouwelijk, tenzij" text, its own
-- referral destinations and measures, report due date and threshold, retention.
-- '{}' means every default.
ALTER TABLE organisations ADD COLUMN rules TEXT NOT NULL DEFAULT '{}'
    CHECK (json_valid(rules) AND json_type(rules) = 'object');

-- The day the organisation was archived (it keeps its cases and reports; no new cases).
ALTER TABLE organisations ADD COLUMN archived TEXT
    CHECK (archived IS NULL OR archived GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]');

-- Structured outcome of a case (taxonomy kind `outcome`) and how the reporter experienced it
-- (kind `experience`); the free-text `outcome` column stays the adviser's own words.
ALTER TABLE cases ADD COLUMN outcome_key TEXT;
ALTER TABLE cases ADD COLUMN experience TEXT;

-- How a complaint or melding was made (kind `manner`: named, confidential via the adviser,
-- anonymous), its outcome (kind `route_outcome`) and a measure taken (kind `measure`, or an
-- organisation's own measure).
ALTER TABLE routes ADD COLUMN manner TEXT
    CHECK (manner IS NULL OR manner IN ('named', 'confidential', 'anonymous'));
ALTER TABLE routes ADD COLUMN outcome TEXT;
ALTER TABLE routes ADD COLUMN measure TEXT;

-- The adviser's work outside cases: advice to the board (asked and unasked), information
-- sessions, periodic consultations, peer supervision, training. A short subject and the
-- adviser's own minutes, never case content; counted in the organisation's yearly report.
CREATE TABLE activities (
    id              INTEGER PRIMARY KEY,
    organisation_id INTEGER NOT NULL REFERENCES organisations(id),
    kind            TEXT NOT NULL,
    date            TEXT NOT NULL CHECK (date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    minutes         INTEGER NOT NULL CHECK (minutes BETWEEN 0 AND 1440),
    subject         TEXT NOT NULL CHECK (length(subject) BETWEEN 1 AND 200),
    notes           TEXT
) STRICT;
CREATE INDEX activities_organisation ON activities(organisation_id, date);
