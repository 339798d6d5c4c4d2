-- "Vertrouwelijk, tenzij": the consent ledger, protocol procedures and their steps,
-- information requests and addenda. Every table here is APPEND-ONLY: the triggers below
-- refuse UPDATE always and DELETE unless the whole case is being destroyed under the
-- retention policy (a row in `destruction`, inserted and removed inside the destroying
-- transaction by services.protocol.destroy_case_records). Moments are local time to the
-- minute, 'YYYY-MM-DDTHH:MM'; `recorded_at` is when the adviser entered the record.

-- Marker for the one exception: present only inside the transaction destroying the case.
CREATE TABLE destruction (
    case_id INTEGER PRIMARY KEY
) STRICT;

CREATE TABLE consents (
    id          INTEGER PRIMARY KEY,
    case_id     INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    purpose     TEXT NOT NULL
                CHECK (purpose IN ('recording', 'statistics', 'referral', 'third_party', 'identity')),
    destination TEXT,
    scope       TEXT NOT NULL CHECK (json_valid(scope) AND json_type(scope) = 'array'),
    form        TEXT NOT NULL CHECK (form IN ('oral', 'written')),
    given_at    TEXT NOT NULL CHECK (given_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]'),
    corrects    INTEGER REFERENCES consents(id),
    note        TEXT,
    recorded_at TEXT NOT NULL CHECK (recorded_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]'),
    CHECK ((purpose = 'referral') = (destination IS NOT NULL))
) STRICT;
CREATE INDEX consents_case ON consents(case_id, id);

CREATE TABLE consent_withdrawals (
    id           INTEGER PRIMARY KEY,
    case_id      INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    consent_id   INTEGER NOT NULL REFERENCES consents(id) ON DELETE CASCADE,
    withdrawn_at TEXT NOT NULL CHECK (withdrawn_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]'),
    note         TEXT,
    recorded_at  TEXT NOT NULL CHECK (recorded_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]')
) STRICT;
CREATE INDEX consent_withdrawals_case ON consent_withdrawals(case_id, id);
CREATE INDEX consent_withdrawals_consent ON consent_withdrawals(consent_id);

CREATE TABLE procedures (
    id          INTEGER PRIMARY KEY,
    case_id     INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    opened_at   TEXT NOT NULL CHECK (opened_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]'),
    ground      TEXT CHECK (ground IS NULL OR ground IN
                ('consent', 'conscientious_distress', 'duty_to_report', 'duty_to_disclose')),
    recorded_at TEXT NOT NULL CHECK (recorded_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]')
) STRICT;
CREATE INDEX procedures_case ON procedures(case_id, id);

-- One row per step; `data` holds the step's own fields (JSON object, see vault/protocol_repo.py).
CREATE TABLE procedure_steps (
    id           INTEGER PRIMARY KEY,
    procedure_id INTEGER NOT NULL REFERENCES procedures(id) ON DELETE CASCADE,
    case_id      INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    kind         TEXT NOT NULL CHECK (kind IN ('ground', 'legal_basis', 'condition',
                 'consent_attempt', 'consultation', 'informing', 'informing_forbidden',
                 'referral_offer', 'justification', 'disclosure', 'abandonment', 'addendum')),
    at           TEXT NOT NULL CHECK (at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]'),
    corrects     INTEGER REFERENCES procedure_steps(id),
    data         TEXT NOT NULL CHECK (json_valid(data) AND json_type(data) = 'object'),
    recorded_at  TEXT NOT NULL CHECK (recorded_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]')
) STRICT;
CREATE INDEX procedure_steps_procedure ON procedure_steps(procedure_id, id);
CREATE INDEX procedure_steps_case ON procedure_steps(case_id);
CREATE INDEX procedure_steps_disclosures ON procedure_steps(kind, at);

CREATE TABLE information_requests (
    id               INTEGER PRIMARY KEY,
    case_id          INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    requester        TEXT NOT NULL
                     CHECK (requester IN ('manager', 'board', 'committee', 'police', 'court', 'other')),
    requester_detail TEXT,
    subject          TEXT NOT NULL,
    asked_at         TEXT NOT NULL CHECK (asked_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]'),
    recorded_at      TEXT NOT NULL CHECK (recorded_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]')
) STRICT;
CREATE INDEX information_requests_case ON information_requests(case_id, id);

CREATE TABLE information_answers (
    id          INTEGER PRIMARY KEY,
    request_id  INTEGER NOT NULL UNIQUE REFERENCES information_requests(id) ON DELETE CASCADE,
    case_id     INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    answer      TEXT NOT NULL
                CHECK (answer IN ('declined', 'referred_to_reporter', 'answered_with_consent')),
    answered_at TEXT NOT NULL CHECK (answered_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]'),
    consent_id  INTEGER REFERENCES consents(id),
    note        TEXT,
    recorded_at TEXT NOT NULL CHECK (recorded_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]'),
    CHECK ((answer = 'answered_with_consent') = (consent_id IS NOT NULL))
) STRICT;
CREATE INDEX information_answers_case ON information_answers(case_id);

-- Corrections of ledger entries (consents, withdrawals, requests, answers): a note that
-- points to the entry it corrects. Protocol steps have their own addendum steps.
CREATE TABLE ledger_addenda (
    id          INTEGER PRIMARY KEY,
    case_id     INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    target      TEXT NOT NULL CHECK (target IN
                ('consent', 'withdrawal', 'information_request', 'information_answer')),
    target_id   INTEGER NOT NULL,
    at          TEXT NOT NULL CHECK (at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]'),
    text        TEXT NOT NULL CHECK (length(trim(text)) > 0),
    recorded_at TEXT NOT NULL CHECK (recorded_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]')
) STRICT;
CREATE INDEX ledger_addenda_case ON ledger_addenda(case_id, target, target_id);

CREATE TRIGGER consents_append_only_update BEFORE UPDATE ON consents
BEGIN
    SELECT RAISE(ABORT, 'consents is append-only: record a correction or an addendum instead');
END;
CREATE TRIGGER consents_append_only_delete BEFORE DELETE ON consents
WHEN NOT EXISTS (SELECT 1 FROM destruction WHERE case_id = OLD.case_id)
BEGIN
    SELECT RAISE(ABORT, 'consents is append-only: only destroying the whole case removes it');
END;

CREATE TRIGGER consent_withdrawals_append_only_update BEFORE UPDATE ON consent_withdrawals
BEGIN
    SELECT RAISE(ABORT, 'consent_withdrawals is append-only: record a correction or an addendum instead');
END;
CREATE TRIGGER consent_withdrawals_append_only_delete BEFORE DELETE ON consent_withdrawals
WHEN NOT EXISTS (SELECT 1 FROM destruction WHERE case_id = OLD.case_id)
BEGIN
    SELECT RAISE(ABORT, 'consent_withdrawals is append-only: only destroying the whole case removes it');
END;

CREATE TRIGGER procedures_append_only_update BEFORE UPDATE ON procedures
BEGIN
    SELECT RAISE(ABORT, 'procedures is append-only: record a correction or an addendum instead');
END;
CREATE TRIGGER procedures_append_only_delete BEFORE DELETE ON procedures
WHEN NOT EXISTS (SELECT 1 FROM destruction WHERE case_id = OLD.case_id)
BEGIN
    SELECT RAISE(ABORT, 'procedures is append-only: only destroying the whole case removes it');
END;

CREATE TRIGGER procedure_steps_append_only_update BEFORE UPDATE ON procedure_steps
BEGIN
    SELECT RAISE(ABORT, 'procedure_steps is append-only: record a correction or an addendum instead');
END;
CREATE TRIGGER procedure_steps_append_only_delete BEFORE DELETE ON procedure_steps
WHEN NOT EXISTS (SELECT 1 FROM destruction WHERE case_id = OLD.case_id)
BEGIN
    SELECT RAISE(ABORT, 'procedure_steps is append-only: only destroying the whole case removes it');
END;

CREATE TRIGGER information_requests_append_only_update BEFORE UPDATE ON information_requests
BEGIN
    SELECT RAISE(ABORT, 'information_requests is append-only: record a correction or an addendum instead');
END;
CREATE TRIGGER information_requests_append_only_delete BEFORE DELETE ON information_requests
WHEN NOT EXISTS (SELECT 1 FROM destruction WHERE case_id = OLD.case_id)
BEGIN
    SELECT RAISE(ABORT, 'information_requests is append-only: only destroying the whole case removes it');
END;

CREATE TRIGGER information_answers_append_only_update BEFORE UPDATE ON information_answers
BEGIN
    SELECT RAISE(ABORT, 'information_answers is append-only: record a correction or an addendum instead');
END;
CREATE TRIGGER information_answers_append_only_delete BEFORE DELETE ON information_answers
WHEN NOT EXISTS (SELECT 1 FROM destruction WHERE case_id = OLD.case_id)
BEGIN
    SELECT RAISE(ABORT, 'information_answers is append-only: only destroying the whole case removes it');
END;

CREATE TRIGGER ledger_addenda_append_only_update BEFORE UPDATE ON ledger_addenda
BEGIN
    SELECT RAISE(ABORT, 'ledger_addenda is append-only: record a correction or an addendum instead');
END;
CREATE TRIGGER ledger_addenda_append_only_delete BEFORE DELETE ON ledger_addenda
WHEN NOT EXISTS (SELECT 1 FROM destruction WHERE case_id = OLD.case_id)
BEGIN
    SELECT RAISE(ABORT, 'ledger_addenda is append-only: only destroying the whole case removes it');
END;

-- A correction stays inside its own case (and procedure).
CREATE TRIGGER consents_corrects_same_case BEFORE INSERT ON consents
WHEN NEW.corrects IS NOT NULL
 AND NOT EXISTS (SELECT 1 FROM consents WHERE id = NEW.corrects AND case_id = NEW.case_id)
BEGIN
    SELECT RAISE(ABORT, 'a consent can only correct a consent of the same case');
END;
CREATE TRIGGER withdrawals_same_case BEFORE INSERT ON consent_withdrawals
WHEN NOT EXISTS (SELECT 1 FROM consents WHERE id = NEW.consent_id AND case_id = NEW.case_id)
BEGIN
    SELECT RAISE(ABORT, 'a withdrawal belongs to a consent of the same case');
END;
CREATE TRIGGER procedure_steps_same_case BEFORE INSERT ON procedure_steps
WHEN NOT EXISTS (SELECT 1 FROM procedures WHERE id = NEW.procedure_id AND case_id = NEW.case_id)
  OR (NEW.corrects IS NOT NULL AND NOT EXISTS
      (SELECT 1 FROM procedure_steps WHERE id = NEW.corrects AND procedure_id = NEW.procedure_id))
BEGIN
    SELECT RAISE(ABORT, 'a step belongs to its procedure and corrects a step of it');
END;
CREATE TRIGGER information_answers_same_case BEFORE INSERT ON information_answers
WHEN NOT EXISTS (SELECT 1 FROM information_requests WHERE id = NEW.request_id AND case_id = NEW.case_id)
  OR (NEW.consent_id IS NOT NULL AND NOT EXISTS
      (SELECT 1 FROM consents WHERE id = NEW.consent_id AND case_id = NEW.case_id))
BEGIN
    SELECT RAISE(ABORT, 'an answer belongs to a request and a consent of the same case');
END;

-- For reports: each disclosure with the ground in force (the latest `ground` step, else the
-- ground given at opening). A procedure discloses at most once (the disclosure closes it).
CREATE VIEW protocol_disclosures AS
SELECT p.id AS procedure_id,
       p.case_id AS case_id,
       COALESCE((SELECT json_extract(g.data, '$.ground') FROM procedure_steps g
                 WHERE g.procedure_id = p.id AND g.kind = 'ground'
                 ORDER BY g.id DESC LIMIT 1), p.ground) AS ground,
       s.at AS disclosed_at
FROM procedures p
JOIN procedure_steps s ON s.procedure_id = p.id AND s.kind = 'disclosure';
