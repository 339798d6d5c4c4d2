-- Drafts: unsaved text of a form (intake, case facts, conversation, dialog) kept when the app
-- had to stop without asking (SIGTERM, SIGHUP) or was locked. A draft is not a record: it is
-- offered back after the next unlock and deleted once saved or discarded. `snapshot` is the
-- form's plain values as JSON (see services/drafts.py). A draft of a case goes with its case
-- (ON DELETE CASCADE): destroying a case leaves no unsaved text of it behind.

CREATE TABLE drafts (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused: a stale id deletes nothing
    kind     TEXT NOT NULL CHECK (kind IN ('intake', 'facts', 'conversation', 'dialog')),
    case_id  INTEGER REFERENCES cases(id) ON DELETE CASCADE,
    snapshot TEXT NOT NULL CHECK (json_valid(snapshot) AND json_type(snapshot) = 'object'),
    -- local time the draft was stored, YYYY-MM-DDTHH:MM:SS
    created  TEXT NOT NULL
             CHECK (created GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]')
) STRICT;
CREATE INDEX drafts_case ON drafts(case_id);
