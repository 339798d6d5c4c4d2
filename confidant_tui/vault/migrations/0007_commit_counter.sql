-- A commit counter (issue "Backup, restore, a recovery key, and detecting a vault that went
-- back in time"). Every write transaction adds one (vault/store.py, `Vault.transaction`),
-- and the writer mirrors the value with a MAC into the header and into this computer's state
-- record after each commit. A database whose counter is behind either of them lost saves
-- (a damaged or deleted `-wal` after a crash) or was replaced by an older copy; see
-- vault/freshness.py and docs/vault-format.md.
CREATE TABLE commit_counter (
    only  INTEGER PRIMARY KEY CHECK (only = 1),
    value INTEGER NOT NULL CHECK (value >= 0)
) STRICT;

INSERT INTO commit_counter(only, value) VALUES (1, 0);
