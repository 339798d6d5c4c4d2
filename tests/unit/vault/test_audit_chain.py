"""The audit chain on a real encrypted vault: appended entries verify; altering, deleting,
reordering, inserting a forged entry and cutting off the tail with direct SQL are each caught
by `check`, which names the entry (exit code 8 on the command line); read-only processes'
entries reach the chain through pending files."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from confidant_tui.cli.main import main
from confidant_tui.errors import ExitCode
from confidant_tui.services import audit
from confidant_tui.vault import audit_chain, maintenance
from confidant_tui.vault.connection import Connection, connect
from confidant_tui.vault.store import Vault
from tests.conftest import PASSPHRASE

START = dt.datetime(2026, 11, 30, 9, 0, 0)
COUNT = 8


@pytest.fixture
def chained(vault_path: Path) -> tuple[Path, bytes]:
    """A vault with COUNT audit entries; returns its path and data key."""
    with Vault.open(vault_path, PASSPHRASE) as vault:
        for number in range(COUNT):
            code = f"2026-{number + 1:03d}" if number % 2 else None
            audit.record(
                vault,
                "case.created" if code else "vault.unlocked",
                now=START + dt.timedelta(minutes=number),
                case_code=code,
                detail=str(number),
            )
        key = bytes(vault.data_key_copy())
        assert vault.verify_audit().intact
    return vault_path, key


def _tamper(path: Path, key: bytes, *statements: str) -> None:
    """Runs SQL on the vault directly (as someone with the key would), triggers lifted."""
    conn: Connection = connect(path, key, create=False)
    try:
        conn.execute("DROP TRIGGER audit_log_append_only_update")
        conn.execute("DROP TRIGGER audit_log_append_only_delete")
        for statement in statements:
            conn.execute(statement)
    finally:
        conn.close()


def _audit_line(path: Path) -> maintenance.CheckResult:
    results = maintenance.check_file(path, PASSPHRASE)
    return next(r for r in results if r.name == "Auditlogboek")


def test_an_untouched_chain_verifies_and_check_passes(chained: tuple[Path, bytes]) -> None:
    path, _key = chained
    line = _audit_line(path)
    assert line.ok and f"{COUNT} regels" in line.detail


def _forged_insert(key: bytes) -> str:
    mac = audit_chain.entry_mac(
        key, bytes(32), 99, "2026-11-30T09:30:00", "vault.locked", None, None
    )
    return (
        "INSERT INTO audit_log(id, at, action, case_code, detail, mac) "
        f"VALUES (99, '2026-11-30T09:30:00', 'vault.locked', NULL, NULL, '{mac.hex()}')"
    )


TAMPERING: dict[str, tuple[Callable[[bytes], list[str]], int]] = {
    "altered detail": (lambda key: ["UPDATE audit_log SET detail = '7' WHERE id = 3"], 3),
    "altered action": (
        lambda key: ["UPDATE audit_log SET action = 'vault.locked' WHERE id = 5"],
        5,
    ),
    "altered moment": (
        lambda key: ["UPDATE audit_log SET at = '2026-11-30T10:00:00' WHERE id = 2"],
        2,
    ),
    "deleted entry": (lambda key: ["DELETE FROM audit_log WHERE id = 4"], 5),
    "reordered entries": (
        lambda key: [
            "UPDATE audit_log SET id = 100 WHERE id = 3",
            "UPDATE audit_log SET id = 3 WHERE id = 4",
            "UPDATE audit_log SET id = 4 WHERE id = 100",
        ],
        3,
    ),
    # A forged entry made without the vault's key (here: a random one).
    "inserted forged entry": (lambda key: [_forged_insert(os.urandom(32))], 99),
}


@pytest.mark.parametrize("name", sorted(TAMPERING))
def test_tampering_is_named_by_check(chained: tuple[Path, bytes], name: str) -> None:
    path, key = chained
    statements, first_broken = TAMPERING[name]
    _tamper(path, key, *statements(key))
    line = _audit_line(path)
    assert not line.ok and line.chain_broken
    assert f"regel {first_broken} " in line.detail


def test_a_cut_off_tail_is_caught_by_the_commit_mark(chained: tuple[Path, bytes]) -> None:
    path, key = chained
    _tamper(path, key, f"DELETE FROM audit_log WHERE id >= {COUNT - 1}")
    line = _audit_line(path)
    assert not line.ok and line.chain_broken
    assert "weggeknipt" in line.detail


def test_check_exits_8_on_a_broken_chain(
    chained: tuple[Path, bytes], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path, key = chained
    _tamper(path, key, "UPDATE audit_log SET detail = '7' WHERE id = 3")
    import io

    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO((PASSPHRASE + "\n").encode())))
    assert main(["check", "--vault", str(path), "--passphrase-stdin"]) == ExitCode.AUDIT_BROKEN
    assert "regel 3" in capsys.readouterr().out


def test_a_writer_finding_the_tail_cut_keeps_the_evidence_in_the_chain(
    chained: tuple[Path, bytes],
) -> None:
    path, key = chained
    _tamper(path, key, f"DELETE FROM audit_log WHERE id = {COUNT}")
    with Vault.open(path, PASSPHRASE) as vault:
        newest = audit.entries(vault, limit=1)[0]
        assert newest.action == "audit.tail_cut" and newest.id == COUNT
        assert vault.verify_audit().intact


def test_entries_of_a_read_only_process_are_folded_in_by_the_next_writer(
    chained: tuple[Path, bytes],
) -> None:
    path, _key = chained
    with Vault.open(path, PASSPHRASE, read_only=True) as reader:
        audit.record(reader, "export.report", now=START + dt.timedelta(hours=1), detail="pdf")
        audit.record(reader, "export.backup", now=START + dt.timedelta(hours=2))
    pending = [name for name in os.listdir(path.parent) if name.endswith(".pending")]
    assert len(pending) == 2
    for name in pending:  # encrypted: nothing readable in the file
        assert b"export" not in (path.parent / name).read_bytes()
    with Vault.open(path, PASSPHRASE) as writer:
        newest = audit.entries(writer, limit=2)
        assert [e.action for e in newest] == ["export.backup", "export.report"]
        assert writer.verify_audit().intact
    assert not [name for name in os.listdir(path.parent) if name.endswith(".pending")]
    assert _audit_line(path).ok


def test_filters_select_by_action_case_and_period(chained: tuple[Path, bytes]) -> None:
    path, _key = chained
    with Vault.open(path, PASSPHRASE, read_only=True) as vault:
        created = audit.entries(vault, audit.AuditFilter(action="case.created"))
        assert [e.case_code for e in created] == ["2026-008", "2026-006", "2026-004", "2026-002"]
        one = audit.entries(vault, audit.AuditFilter(case_code="2026-004"))
        assert [e.id for e in one] == [4]
        later = audit.entries(vault, audit.AuditFilter(since=dt.date(2026, 12, 1)))
        assert later == []
