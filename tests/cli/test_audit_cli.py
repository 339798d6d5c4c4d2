"""`confidant audit`: the audit log as lines and as JSON, filtered by case, action and period,
read-only beside the app, and exit code 8 on a broken chain."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from confidant_tui.cli.main import main
from confidant_tui.errors import ExitCode
from confidant_tui.services import audit
from confidant_tui.vault.connection import connect
from confidant_tui.vault.store import Vault
from tests.conftest import PASSPHRASE

REPO = Path(__file__).resolve().parents[2]

ENTRIES = [
    # (moment, action, case code, detail), in the order they are recorded
    (dt.datetime(2025, 1, 10, 9, 0, 5), "case.created", "2025-001", None),
    (dt.datetime(2025, 2, 11, 14, 30, 0), "conversation.added", "2025-001", None),
    (dt.datetime(2025, 3, 12, 16, 45, 59), "export.report", None, "pdf"),
    (dt.datetime(2025, 4, 1, 8, 0, 0), "case.created", "2025-002", "[bold]x\x1b[31m"),
]


@pytest.fixture
def logged(vault_path: Path) -> Path:
    """The test vault with the ENTRIES in its audit log."""
    with Vault.open(vault_path, PASSPHRASE) as vault:
        for at, action, code, detail in ENTRIES:
            audit.record(vault, action, now=at, case_code=code, detail=detail)
    return vault_path


def run(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], path: Path, *args: str
) -> tuple[int, str, str]:
    """Runs `confidant audit` in this process with the passphrase on standard input."""
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO((PASSPHRASE + "\n").encode())))
    code = main(["audit", "--vault", str(path), "--passphrase-stdin", *args])
    out, err = capsys.readouterr()
    return code, out, err


def ours(document: list[dict[str, object]]) -> list[dict[str, object]]:
    """The entries of the test's year (a writer may add its own of today)."""
    return [entry for entry in document if str(entry["at"]).startswith("2025-")]


def test_json_lists_every_entry_newest_first_with_stable_keys(
    logged: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _err = run(monkeypatch, capsys, logged, "--json")
    assert code == ExitCode.OK
    document = json.loads(out)
    assert isinstance(document, list)
    assert ours(document) == [
        {
            "id": entry_id,
            "at": at.isoformat(),
            "action": action,
            "case": case,
            "detail": detail,
        }
        for entry_id, (at, action, case, detail) in reversed(list(enumerate(ENTRIES, start=1)))
    ]
    assert [entry["id"] for entry in document] == sorted(
        (entry["id"] for entry in document), reverse=True
    )


def test_the_filters_narrow_the_json(
    logged: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def moments(*args: str) -> list[str]:
        code, out, err = run(monkeypatch, capsys, logged, "--json", *args)
        assert code == ExitCode.OK, err
        return [str(entry["at"]) for entry in json.loads(out)]

    assert moments("--case", "2025-001") == ["2025-02-11T14:30:00", "2025-01-10T09:00:05"]
    assert moments("--since", "11-02-2025", "--until", "2025-03-12") == [
        "2025-03-12T16:45:59",
        "2025-02-11T14:30:00",
    ]
    assert moments("--action", "case.created", "--since", "2025-01-11") == ["2025-04-01T08:00:00"]


def test_text_shows_labels_codes_and_the_chain_literally(
    logged: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _err = run(monkeypatch, capsys, logged, "--case", "2025-002")
    assert code == ExitCode.OK
    lines = out.splitlines()
    assert lines[0].startswith("01-04-2025 08:00:00  2025-002")
    assert "Dossier aangemaakt" in lines[0]
    assert "[bold]x␛[31m" in lines[0] and "\x1b" not in out
    assert lines[-1].startswith("Auditlogboek: ") and "de keten is intact" in lines[-1]

    code, out, _err = run(monkeypatch, capsys, logged, "--lang", "en", "--since", "2025-03-01")
    assert code == ExitCode.OK
    assert "2025-03-12 16:45:59  -          Report written to a file  pdf" in out
    assert "2025-01-10" not in out
    assert "the chain is intact" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--action", "case.eaten"), "Onbekende handeling case.eaten"),
        (("--since", "31-02-2025"), "Geen geldige datum"),
        (("--since", "2025-03-01", "--until", "2025-02-01"), "eindigt voordat"),
    ],
)
def test_a_wrong_filter_is_refused_before_the_passphrase(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    args: tuple[str, ...],
    message: str,
) -> None:
    code, out, err = run(monkeypatch, capsys, tmp_path / "no such vault", *args)
    assert code == ExitCode.INVALID_INPUT
    assert message in err and out == ""


def test_a_broken_chain_is_printed_and_exits_8(
    logged: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with Vault.open(logged, PASSPHRASE, read_only=True) as vault:
        key = bytes(vault.data_key_copy())
    conn = connect(logged, key, create=False)
    try:
        conn.execute("DROP TRIGGER audit_log_append_only_update")
        conn.execute("UPDATE audit_log SET detail = 'csv' WHERE id = 3")
    finally:
        conn.close()

    code, out, _err = run(monkeypatch, capsys, logged)
    assert code == ExitCode.AUDIT_BROKEN
    assert "csv" in out  # the evidence is shown as it is now
    assert "De keten is verbroken: regel 3 " in out and "afsluitcode 8" in out

    code, out, err = run(monkeypatch, capsys, logged, "--json")
    assert code == ExitCode.AUDIT_BROKEN
    assert len(ours(json.loads(out))) == len(ENTRIES)
    assert "regel 3 " in err


@pytest.mark.slow
def test_it_reads_beside_the_writer_and_sees_its_latest_entry(logged: Path) -> None:
    env = {**os.environ, "CONFIDANT_TEST_KDF": "floor"}
    env.pop("CONFIDANT_LANG", None)
    with Vault.open(logged, PASSPHRASE) as writer:  # the app, holding the writer lock
        audit.record(writer, "settings.changed", now=dt.datetime(2025, 5, 5, 10, 0, 0))
        command = ["audit", "--vault", str(logged), "--passphrase-stdin", "--json"]
        result = subprocess.run(
            [sys.executable, "-m", "confidant_tui", *command, "--since", "2025-05-01"],
            input=PASSPHRASE + "\n",
            capture_output=True,
            text=True,
            env=env,
            cwd=REPO,
            timeout=120,
        )
        assert result.returncode == ExitCode.OK, result.stderr
        assert ours(json.loads(result.stdout)) == [
            {
                "id": len(ENTRIES) + 1,
                "at": "2025-05-05T10:00:00",
                "action": "settings.changed",
                "case": None,
                "detail": None,
            }
        ]
        assert writer.verify_audit().intact
