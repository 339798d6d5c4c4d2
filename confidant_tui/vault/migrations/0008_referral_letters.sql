-- Referral letters (issue "Referral letters ... built only from what the reporter consented
-- to"). Every letter belongs to one referral row: a letter made from an existing referral is
-- that referral's, a new letter adds its referral row in the same transaction, so a letter
-- never counts as a second referral. It keeps what went out and what it rested on: the facts
-- (scope keys), the ids of the consents that covered them, the adviser's question and
-- summary, the blanks filled in, and the letter's text exactly as written. Letters go with
-- their case (ON DELETE CASCADE through the referral).
CREATE TABLE referral_letters (
    id          INTEGER PRIMARY KEY,
    referral_id INTEGER NOT NULL REFERENCES referrals(id) ON DELETE CASCADE,
    made_at     TEXT NOT NULL
                CHECK (made_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]'),
    language    TEXT NOT NULL CHECK (language IN ('nl', 'en')),
    facts       TEXT NOT NULL CHECK (json_valid(facts) AND json_type(facts) = 'array'),
    consents    TEXT NOT NULL CHECK (json_valid(consents) AND json_type(consents) = 'array'),
    question    TEXT NOT NULL CHECK (length(trim(question)) > 0),
    summary     TEXT,
    blanks      TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(blanks) AND json_type(blanks) = 'object'),
    text        TEXT NOT NULL,
    file_format TEXT CHECK (file_format IS NULL OR file_format IN ('md', 'txt', 'pdf'))
) STRICT;

CREATE INDEX referral_letters_referral ON referral_letters(referral_id);
