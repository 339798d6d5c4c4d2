-- Deadlines (issue "Deadlines and a 'today' view"). Deadlines themselves are derived from
-- the vault (domain/deadlines.py) and never stored; what is stored is what the adviser
-- decided about one: marked done, or snoozed to a day, always with a reason. A mark names
-- the deadline by its kind, its subject (e.g. `conversation:12`, `route:3`,
-- `report:1:2025`) and its due day, so a mark no longer applies once the deadline moves
-- (a new follow-up date is a new deadline). The latest mark of a deadline counts. Marks of a
-- case go with it (ON DELETE CASCADE); marks of the yearly report or the backup have no case.
CREATE TABLE deadline_marks (
    id         INTEGER PRIMARY KEY,
    case_id    INTEGER REFERENCES cases(id) ON DELETE CASCADE,
    kind       TEXT NOT NULL CHECK (length(kind) BETWEEN 1 AND 40),
    subject    TEXT NOT NULL CHECK (length(subject) BETWEEN 1 AND 80),
    due        TEXT NOT NULL CHECK (due GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    act        TEXT NOT NULL CHECK (act IN ('done', 'snoozed')),
    until      TEXT CHECK (until IS NULL OR until GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    reason     TEXT NOT NULL CHECK (length(trim(reason)) BETWEEN 1 AND 500),
    decided_at TEXT NOT NULL
               CHECK (decided_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]'),
    CHECK ((act = 'snoozed') = (until IS NOT NULL))
) STRICT;
CREATE INDEX deadline_marks_deadline ON deadline_marks(kind, subject, due, id);
CREATE INDEX deadline_marks_case ON deadline_marks(case_id);

-- The one extension of the feedback term of an integrity or whistleblower report (some
-- schemes allow the term of 3 months to be extended once by 3 months), with its reason.
CREATE TABLE route_extensions (
    route_id    INTEGER PRIMARY KEY REFERENCES routes(id) ON DELETE CASCADE,
    reason      TEXT NOT NULL CHECK (length(trim(reason)) BETWEEN 1 AND 500),
    decided_at  TEXT NOT NULL
                CHECK (decided_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]')
) STRICT;
