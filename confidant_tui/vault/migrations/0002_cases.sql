-- Cases: organisations, reporters (identity apart), dossiers, people, conversations,
-- routes, referrals and the full-text index. Keys are the stable keys of DOMAIN.md;
-- dates are ISO text (YYYY-MM-DD). Child rows go with their case (ON DELETE CASCADE),
-- except the full-text rows: delete those with search_repo.forget_case() first.

CREATE TABLE organisations (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 200)
) STRICT;

-- A person who came to the adviser; may come back with a new case.
CREATE TABLE reporters (
    id    INTEGER PRIMARY KEY,
    alias TEXT
) STRICT;

-- Identity apart from content (DOMAIN.md §7): shown only on request, erased first.
CREATE TABLE reporter_identities (
    reporter_id INTEGER PRIMARY KEY REFERENCES reporters(id) ON DELETE CASCADE,
    name        TEXT,
    contact     TEXT
) STRICT;

CREATE TABLE cases (
    id              INTEGER PRIMARY KEY,
    code            TEXT NOT NULL UNIQUE,
    year            INTEGER NOT NULL,
    seq             INTEGER NOT NULL,
    organisation_id INTEGER NOT NULL REFERENCES organisations(id),
    reporter_id     INTEGER NOT NULL REFERENCES reporters(id),
    reporter_role   TEXT NOT NULL,
    opened          TEXT NOT NULL CHECK (opened GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    -- current status, kept in step with case_status (for the fast home list)
    status          TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'aftercare', 'closed')),
    status_date     TEXT NOT NULL,
    relation        TEXT,
    power_imbalance INTEGER CHECK (power_imbalance IN (0, 1)),
    level           TEXT,
    first_incident  TEXT,
    last_incident   TEXT,
    wishes          TEXT,
    work_situation  TEXT,
    outcome         TEXT,
    confidentiality_explained TEXT,
    recording_consent         TEXT,
    -- the follow-up date of the latest conversation, kept in step (for the home list)
    next_follow_up  TEXT,
    UNIQUE (year, seq)
) STRICT;
CREATE INDEX cases_opened ON cases(opened);
CREATE INDEX cases_status ON cases(status, opened);
CREATE INDEX cases_follow_up ON cases(next_follow_up);
CREATE INDEX cases_organisation ON cases(organisation_id, opened);
CREATE INDEX cases_reporter ON cases(reporter_id);

-- Status changes after opening (the case is 'open' from `opened` on).
CREATE TABLE case_status (
    id      INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    status  TEXT NOT NULL CHECK (status IN ('open', 'aftercare', 'closed')),
    date    TEXT NOT NULL CHECK (date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]')
) STRICT;
CREATE INDEX case_status_case ON case_status(case_id, date, id);

CREATE TABLE case_categories (
    case_id  INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    category TEXT NOT NULL,
    position INTEGER NOT NULL,
    PRIMARY KEY (case_id, category)
) STRICT, WITHOUT ROWID;
CREATE INDEX case_categories_key ON case_categories(category, case_id);

CREATE TABLE people (
    id       INTEGER PRIMARY KEY,
    case_id  INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    alias    TEXT,
    role     TEXT NOT NULL CHECK (role IN ('accused', 'witness', 'other')),
    relation TEXT
) STRICT;
CREATE INDEX people_case ON people(case_id, position);

CREATE TABLE conversations (
    id         INTEGER PRIMARY KEY,
    case_id    INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    date       TEXT NOT NULL CHECK (date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    time       TEXT CHECK (time IS NULL OR time GLOB '[0-2][0-9]:[0-5][0-9]'),
    minutes    INTEGER CHECK (minutes IS NULL OR minutes BETWEEN 0 AND 1440),
    mode       TEXT,
    notes      TEXT,
    advice     TEXT,
    next_steps TEXT,
    follow_up  TEXT,
    version    INTEGER NOT NULL DEFAULT 1
) STRICT;
CREATE INDEX conversations_case ON conversations(case_id, date, time, id);
CREATE INDEX conversations_date ON conversations(date);

-- Earlier versions of a conversation's texts (kept on edit, destroyed with the case).
CREATE TABLE conversation_versions (
    id              INTEGER PRIMARY KEY,
    conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    version         INTEGER NOT NULL,
    replaced_on     TEXT NOT NULL,
    notes           TEXT,
    advice          TEXT,
    next_steps      TEXT,
    UNIQUE (conversation_id, version)
) STRICT;

CREATE TABLE routes (
    id           INTEGER PRIMARY KEY,
    case_id      INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    route        TEXT NOT NULL,
    date         TEXT NOT NULL CHECK (date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    filed        TEXT,
    acknowledged TEXT,
    feedback     TEXT,
    ended        TEXT
) STRICT;
CREATE INDEX routes_case ON routes(case_id, position);
CREATE INDEX routes_date ON routes(date);

CREATE TABLE referrals (
    id          INTEGER PRIMARY KEY,
    case_id     INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    destination TEXT NOT NULL,
    date        TEXT NOT NULL CHECK (date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    note        TEXT
) STRICT;
CREATE INDEX referrals_case ON referrals(case_id, position);
CREATE INDEX referrals_date ON referrals(date);

-- Full-text search: one row per text field; search_fts.rowid = search_docs.id.
CREATE TABLE search_docs (
    id              INTEGER PRIMARY KEY,
    case_id         INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    conversation_id INTEGER REFERENCES conversations(id) ON DELETE CASCADE,
    field           TEXT NOT NULL
) STRICT;
CREATE INDEX search_docs_field ON search_docs(case_id, conversation_id, field);
CREATE INDEX search_docs_conversation ON search_docs(conversation_id);

CREATE VIRTUAL TABLE search_fts USING fts5(
    body,
    tokenize = 'unicode61 remove_diacritics 2'
);
-- Deleted text leaves no tokens behind in the index.
INSERT INTO search_fts(search_fts, rank) VALUES ('secure-delete', 1);
