"""Schema upgrades: one transaction per migration step, no row lost, old vaults refused
clearly by read-only commands.

The steps are synthetic and exist in the test only: they are numbered after the newest
shipped migration, so these tests keep proving the upgrade path whatever the latest
version is. They run on a copy of the release 0.1.0 fixture vault.
"""

from __future__ import annotations

import resource
import signal
from pathlib import Path

import pytest
import sqlcipher3
from release_vaults import (
    add_steps,
    cli_with_steps,
    copy_release,
    manifest,
    raw_connection,
    row_counts,
    snapshot,
    user_version,
)

from confidant_tui.errors import ConfidantError, ExitCode, VaultUnusable
from confidant_tui.services import vaults
from confidant_tui.vault import migrations
from confidant_tui.vault.migrations import split_statements
from confidant_tui.vault.store import Vault

RELEASE = "0.1.0"
PASSPHRASE = manifest(RELEASE)["passphrase"]

COPY_CASES = """
-- A new table filled from every case, and an update of every existing case row.
CREATE TABLE synthetic_case_copy (
    case_id INTEGER PRIMARY KEY REFERENCES cases(id) ON DELETE CASCADE,
    code    TEXT NOT NULL
) STRICT;
INSERT INTO synthetic_case_copy(case_id, code) SELECT id, code FROM cases;
UPDATE cases SET code = code;
CREATE TRIGGER synthetic_case_copy_kept BEFORE UPDATE ON synthetic_case_copy
BEGIN
    SELECT RAISE(ABORT, 'kept; as written');
END;
INSERT INTO meta(key, value) VALUES ('synthetic', 'step; with a semicolon');
"""

FAILS_HALFWAY = """
CREATE TABLE synthetic_half (x INTEGER);
INSERT INTO synthetic_half VALUES (1);
DELETE FROM meta WHERE key = 'created_by';
UPDATE conversations SET notes = 'overwritten';
INSERT INTO no_such_table VALUES (1);
"""


@pytest.fixture
def current(tmp_path: Path) -> Path:
    """A copy of the release vault, upgraded to the shipped schema and closed."""
    path = copy_release(RELEASE, tmp_path / "vault")
    Vault.open(path, PASSPHRASE).close()
    assert user_version(path, PASSPHRASE) == migrations.latest_version()
    return path


def test_a_vault_one_step_behind_is_upgraded_and_keeps_every_row(
    current: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = snapshot(current, PASSPHRASE)
    latest = add_steps(monkeypatch, COPY_CASES)
    assert latest == before["version"] + 1
    with Vault.open(current, PASSPHRASE) as vault:
        assert vault.schema_version() == latest
        with vault.reading() as conn:
            copied = conn.execute("SELECT count(*) FROM synthetic_case_copy").fetchone()[0]
            note = conn.execute("SELECT value FROM meta WHERE key = 'synthetic'").fetchone()
        assert all(result.ok for result in vault.check())
    after = snapshot(current, PASSPHRASE)
    assert copied == len(before["rows"]["cases"]) == len(manifest(RELEASE)["cases"])
    assert note == ("step; with a semicolon",)
    for table, rows in before["rows"].items():
        if table == "meta":
            assert set(rows) < set(after["rows"]["meta"])
        else:
            assert after["rows"][table] == rows, table
    assert [r.ok for r in vaults.check_vault(current, PASSPHRASE)] == [True] * 6


def test_the_release_vault_takes_every_step_up_to_a_synthetic_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = copy_release(RELEASE, tmp_path / "vault")
    counts = manifest(RELEASE)["tables"]
    latest = add_steps(monkeypatch, COPY_CASES)
    with Vault.open(path, PASSPHRASE) as vault:
        assert vault.schema_version() == latest
    after = row_counts(path, PASSPHRASE)
    assert {table: after[table] for table in counts} == {**counts, "meta": counts["meta"] + 1}
    assert after["synthetic_case_copy"] == counts["cases"]


def test_a_failing_step_leaves_the_vault_at_the_previous_version_untouched(
    current: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = snapshot(current, PASSPHRASE)
    add_steps(monkeypatch, FAILS_HALFWAY)
    with pytest.raises(VaultUnusable) as caught:
        Vault.open(current, PASSPHRASE)
    assert "kon niet worden bijgewerkt" in caught.value.message
    assert caught.value.exit_code == ExitCode.VAULT_UNUSABLE
    assert snapshot(current, PASSPHRASE) == before
    monkeypatch.undo()
    with Vault.open(current, PASSPHRASE) as vault:  # still opens with the shipped steps
        assert vault.schema_version() == before["version"]


def test_each_step_is_its_own_transaction(current: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = snapshot(current, PASSPHRASE)
    add_steps(monkeypatch, COPY_CASES, FAILS_HALFWAY)
    with pytest.raises(VaultUnusable):
        Vault.open(current, PASSPHRASE)
    after = snapshot(current, PASSPHRASE)
    assert after["version"] == before["version"] + 1  # step 1 stayed, step 2 was undone
    assert "synthetic_case_copy" in after["rows"]
    assert "synthetic_half" not in after["rows"]
    for table, rows in before["rows"].items():
        if table != "meta":
            assert after["rows"][table] == rows, table
    assert ("created_by", "confidant") in after["rows"]["meta"]
    monkeypatch.undo()
    add_steps(monkeypatch, COPY_CASES, "CREATE TABLE synthetic_fixed (x INTEGER);")
    with Vault.open(current, PASSPHRASE) as vault:  # the next run resumes at step 2
        assert vault.schema_version() == before["version"] + 2


def test_a_disk_error_in_a_step_is_a_storage_error_and_changes_nothing(
    current: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = snapshot(current, PASSPHRASE)
    # A step larger than the disk allows: the write fails inside the transaction.
    add_steps(
        monkeypatch,
        "CREATE TABLE synthetic_big (x BLOB);"
        "INSERT INTO synthetic_big SELECT zeroblob(100000) FROM cases;",
    )
    old_handler = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    size = current.stat().st_size
    resource.setrlimit(resource.RLIMIT_FSIZE, (size + 64 * 1024, hard))
    try:
        with pytest.raises(ConfidantError) as caught:
            Vault.open(current, PASSPHRASE)
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, old_handler)
    assert caught.value.exit_code == ExitCode.STORAGE, caught.value
    assert snapshot(current, PASSPHRASE) == before


def test_read_only_open_of_an_old_vault_is_refused_without_writing(
    current: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = snapshot(current, PASSPHRASE)
    add_steps(monkeypatch, COPY_CASES)
    with pytest.raises(VaultUnusable) as caught:
        Vault.open(current, PASSPHRASE, read_only=True)
    assert "moet worden bijgewerkt" in caught.value.message
    assert snapshot(current, PASSPHRASE) == before


def test_check_of_an_old_vault_runs_the_checks_and_asks_for_the_upgrade(
    current: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = snapshot(current, PASSPHRASE)
    latest = add_steps(monkeypatch, COPY_CASES)
    results = vaults.check_vault(current, PASSPHRASE)
    assert [r.ok for r in results[:-1]] == [True] * 5
    schema = results[-1]
    assert (schema.ok, schema.needs_upgrade) == (False, True)
    assert f"versie {latest - 1}" in schema.detail and f"versie {latest}" in schema.detail
    assert not any(r.needs_upgrade for r in results[:-1])
    assert snapshot(current, PASSPHRASE) == before


def test_check_of_a_damaged_old_vault_says_damaged(
    current: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = bytearray(current.read_bytes())
    data[-500] ^= 0x01
    current.write_bytes(data)
    add_steps(monkeypatch, COPY_CASES)
    results = vaults.check_vault(current, PASSPHRASE)
    damaged = [r for r in results if not r.ok and not r.needs_upgrade]
    assert damaged and damaged[0].name == "Versleutelde pagina's"


@pytest.mark.slow
def test_check_command_on_an_old_vault_gives_its_verdict_and_exit_code(current: Path) -> None:
    before = snapshot(current, PASSPHRASE)
    result = cli_with_steps(
        "check",
        "--vault",
        str(current),
        "--passphrase-stdin",
        steps=(COPY_CASES,),
        stdin=PASSPHRASE + "\n",
    )
    assert result.returncode == ExitCode.VAULT_UNUSABLE, result.stdout + result.stderr
    assert "Versleutelde pagina's: in orde" in result.stdout
    assert "Schemaversie: PROBLEEM" in result.stdout
    assert "Oordeel: geen schade gevonden, maar de kluis moet worden bijgewerkt" in result.stdout
    assert "beschadigd" not in result.stdout
    assert "Traceback" not in result.stdout + result.stderr
    assert snapshot(current, PASSPHRASE) == before


@pytest.mark.slow
def test_draft_report_on_an_old_vault_gives_a_clear_message(current: Path, tmp_path: Path) -> None:
    before = snapshot(current, PASSPHRASE)
    out = tmp_path / "out" / "verslag.md"
    out.parent.mkdir()
    result = cli_with_steps(
        "report",
        "--year",
        "2025",
        "--out",
        str(out),
        "--vault",
        str(current),
        "--passphrase-stdin",
        steps=(COPY_CASES,),
        stdin=PASSPHRASE + "\n",
    )
    assert result.returncode == ExitCode.VAULT_UNUSABLE, result.stdout + result.stderr
    assert "Deze kluis moet worden bijgewerkt" in result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert not out.exists()
    assert snapshot(current, PASSPHRASE) == before


@pytest.mark.slow
def test_opening_for_writing_on_the_command_line_upgrades(current: Path, tmp_path: Path) -> None:
    # `report --publish` opens for writing: it takes the synthetic step, then publishes.
    out = tmp_path / "verslag.json"
    result = cli_with_steps(
        "report",
        "--year",
        "2026",
        "--format",
        "json",
        "--out",
        str(out),
        "--publish",
        "--vault",
        str(current),
        "--passphrase-stdin",
        steps=(COPY_CASES,),
        stdin=PASSPHRASE + "\n",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert user_version(current, PASSPHRASE) == migrations.latest_version() + 1
    with raw_connection(current, PASSPHRASE) as conn:
        assert conn.execute("SELECT count(*) FROM synthetic_case_copy").fetchone()[0] == len(
            manifest(RELEASE)["cases"]
        )


def test_every_shipped_migration_splits_into_whole_statements() -> None:
    for migration in migrations.all_migrations():
        statements = migration.statements()
        assert statements, migration.name
        for statement in statements:
            assert sqlcipher3.complete_statement(statement), (migration.name, statement)


def test_statements_are_split_by_sqlite_rules() -> None:
    assert split_statements(COPY_CASES)[3].startswith("CREATE TRIGGER")
    assert len(split_statements(COPY_CASES)) == 5
    assert split_statements("-- only a comment\n") == []
    assert split_statements("SELECT 1") == ["SELECT 1\n;"]


@pytest.mark.parametrize(
    "sql",
    [
        "BEGIN; CREATE TABLE x (a);",
        "CREATE TABLE x (a); COMMIT;",
        "CREATE TABLE x (a);\nEND;",
        "SAVEPOINT s; CREATE TABLE x (a); RELEASE s;",
        "CREATE TABLE x (a); ROLLBACK;",
        "/* comment */ PRAGMA foreign_keys = OFF;",
        "-- comment\nPRAGMA user_version = 99;",
        "VACUUM;",
        "ATTACH DATABASE 'other.db' AS other;",
        "CREATE TRIGGER t BEFORE UPDATE ON cases BEGIN SELECT 1;",
    ],
)
def test_a_step_that_would_break_one_transaction_per_step_is_refused(sql: str) -> None:
    with pytest.raises(ValueError):
        split_statements(sql)


def test_a_shipped_step_with_a_commit_is_refused_before_it_runs(
    current: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = snapshot(current, PASSPHRASE)
    add_steps(monkeypatch, "CREATE TABLE synthetic_a (x INTEGER); COMMIT; CREATE TABLE b (y);")
    with pytest.raises(ValueError):
        Vault.open(current, PASSPHRASE)
    assert snapshot(current, PASSPHRASE) == before
