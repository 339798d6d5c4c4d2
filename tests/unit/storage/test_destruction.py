"""Destroying a case leaves nothing behind: no row, no FTS token, no page of the file.

A case whose notes, aliases, names and people carry unique marker strings is destroyed
through `services.retention.destroy`. Then no table (FTS shadow tables included) holds a
marker, no decrypted page of the database file (every page, free pages included) holds one
in UTF-8 or UTF-16, the `-wal` is empty, the yearly report of its year is byte-for-byte the
same, a withdrawn-statistics case leaves no statistical record, and the destroyed code is
never issued again. The page decryptor follows SQLCipher 4's layout (SECURITY.md); it is
shown to find the markers before the destruction, so its silence afterwards means something.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import secrets
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from confidant_tui.domain.cases import (
    CaseFacts,
    Conversation,
    Identity,
    Intake,
    Person,
    Referral,
)
from confidant_tui.errors import InvalidInput, NotFound
from confidant_tui.services import audit, cases, retention
from confidant_tui.services import report as report_service
from confidant_tui.vault.store import Vault
from tests.conftest import ORGANISATION, TAXONOMY

_spec = importlib.util.spec_from_file_location(
    "report_helpers", Path(__file__).with_name("test_report_helpers.py")
)
helpers = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(helpers)

TODAY = dt.date(2026, 12, 2)
NOW = dt.datetime(2026, 12, 2, 10, 0)
PAGE = 4096
RESERVED = 80  # 16-byte IV, then a 64-byte HMAC-SHA512
SALT = 16
WAL_HEADER = 32
FRAME_HEADER = 24


def _decrypt(page: bytes, key: bytes, *, first: bool) -> bytes:
    iv = page[PAGE - RESERVED : PAGE - RESERVED + 16]
    body = page[SALT if first else 0 : PAGE - RESERVED]
    decryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).decryptor()
    return decryptor.update(body) + decryptor.finalize()


def decrypted_pages(path: Path, key: bytes) -> list[bytes]:
    """Every page of the database file and every frame of its `-wal`, decrypted."""
    pages = []
    data = path.read_bytes()
    assert len(data) % PAGE == 0
    for start in range(0, len(data), PAGE):
        pages.append(_decrypt(data[start : start + PAGE], key, first=start == 0))
    wal = path.with_name(path.name + "-wal")
    if wal.exists():
        frames = wal.read_bytes()[WAL_HEADER:]
        for start in range(0, len(frames) - FRAME_HEADER - PAGE + 1, FRAME_HEADER + PAGE):
            page = frames[start + FRAME_HEADER : start + FRAME_HEADER + PAGE]
            pages.append(_decrypt(page, key, first=False))
    return pages


def _needles(markers: list[str]) -> list[bytes]:
    return [m.encode(codec) for m in markers for codec in ("utf-8", "utf-16-le", "utf-16-be")]


def pages_holding(path: Path, key: bytes, markers: list[str]) -> int:
    needles = _needles(markers)
    return sum(any(n in page for n in needles) for page in decrypted_pages(path, key))


def rows_holding(vault: Vault, markers: list[str]) -> list[str]:
    """The tables (FTS shadow tables included) with a row that holds a marker."""
    needles = _needles(markers)
    found = []
    with vault.reading() as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        for table in tables:
            for row in conn.execute(f'SELECT * FROM "{table}"'):
                for value in row:
                    raw = value if isinstance(value, bytes) else str(value).encode("utf-8")
                    if any(n in raw for n in needles):
                        found.append(table)
    return found


def _marked_case(vault: Vault, tag: str, opened: dt.date) -> tuple[str, list[str]]:
    markers = [f"{tag}{name}{secrets.token_hex(4)}" for name in range(9)]
    intake = Intake(
        opened=opened,
        facts=CaseFacts(
            reporter_role="employee",
            categories=("bullying",),
            reporter_alias=markers[0],
            wishes=f"wil dat {markers[1]} stopt",
            people=(Person(role="accused", alias=markers[2], relation="manager"),),
        ),
        identity=Identity(name=markers[3], contact=markers[4]),
    )
    case = cases.create_case(
        vault, intake, today=TODAY, taxonomy=TAXONOMY, default_organisation=ORGANISATION
    )
    talk = cases.add_conversation(
        vault,
        case.code,
        Conversation(date=opened, minutes=45, mode="in_person", notes=f"eerst {markers[5]}"),
        today=TODAY,
        taxonomy=TAXONOMY,
    )
    cases.edit_conversation(  # the first text stays as an earlier version
        vault,
        talk,
        Conversation(date=opened, minutes=45, mode="in_person", notes=f"later {markers[6]}"),
        today=TODAY,
        taxonomy=TAXONOMY,
    )
    cases.add_referral(
        vault,
        case.code,
        Referral(destination="gp", date=opened, note=f"verwezen {markers[7]}"),
        today=TODAY,
        taxonomy=TAXONOMY,
    )
    with vault.transaction() as conn:
        conn.execute(
            "INSERT INTO drafts(kind, case_id, snapshot, created) VALUES ('facts', ?, ?, ?)",
            (case.id, json.dumps({"wishes": markers[8]}), "2024-03-01T10:00:00"),
        )
    cases.change_status(vault, case.code, "closed", opened + dt.timedelta(days=30), today=TODAY)
    return case.code, markers


def _report(vault: Vault) -> str:
    return report_service.render(
        report_service.build_report(vault, 2024, taxonomy=TAXONOMY), "json"
    )


@pytest.mark.slow
@pytest.mark.parametrize("secure_delete", [True, False], ids=["secure-delete", "without"])
def test_a_destroyed_case_leaves_no_trace(vault: Vault, secure_delete: bool) -> None:
    if not secure_delete:
        # Without SQLite's and FTS5's secure delete, only the compaction after the
        # destruction (FTS optimize, checkpoint, VACUUM) can clear the pages: without it
        # this variant finds the markers (checked by hand when it was written).
        conn = vault._connection()
        conn.execute("PRAGMA secure_delete = OFF")
        conn.execute("INSERT INTO search_fts(search_fts, rank) VALUES ('secure-delete', 0)")
    kept_code, kept_markers = _marked_case(vault, "BEHOUDEN", dt.date(2024, 1, 10))
    code, markers = _marked_case(vault, "VERNIETIG", dt.date(2024, 2, 1))
    withdrawn_code, withdrawn_markers = _marked_case(vault, "INGETROKKEN", dt.date(2024, 2, 5))
    with vault.transaction() as conn:
        case_id = conn.execute("SELECT id FROM cases WHERE code = ?", (withdrawn_code,))
        helpers.withdraw_statistics(conn, case_id.fetchone()[0], at="2024-02-06T10:00")
        records_before = conn.execute("SELECT count(*) FROM stat_records").fetchone()[0]
    report_before = _report(vault)
    key = bytes(vault.data_key_copy())
    gone = markers + withdrawn_markers
    assert set(rows_holding(vault, gone)) >= {
        "reporters",
        "reporter_identities",
        "people",
        "conversations",
        "conversation_versions",
        "referrals",
        "drafts",
        "search_fts_content",
    }
    assert pages_holding(vault.path, key, gone) > 0  # the decryptor finds them before

    due = [case.code for case in retention.due_cases(vault, today=TODAY)]
    assert due == [kept_code, code, withdrawn_code]
    done = retention.destroy(vault, [code, withdrawn_code], now=NOW)

    assert done.destroyed == (code, withdrawn_code)
    assert done.records_kept == 1  # the withdrawn case is counted nowhere
    with vault.reading() as conn:
        assert conn.execute("SELECT count(*) FROM stat_records").fetchone()[0] == records_before + 1
        assert conn.execute("SELECT count(*) FROM cases").fetchone()[0] == 1
        assert conn.execute("SELECT count(*) FROM reporters").fetchone()[0] == 1
    assert rows_holding(vault, gone) == []
    assert set(rows_holding(vault, kept_markers)) >= {"people", "search_fts_content"}
    wal = vault.path.with_name(vault.path.name + "-wal")
    assert not wal.exists() or wal.stat().st_size == 0
    assert pages_holding(vault.path, key, gone) == 0
    assert pages_holding(vault.path, key, kept_markers) > 0
    assert _report(vault) == report_before
    destroyed = [e for e in audit.entries(vault) if e.action == "case.destroyed"]
    assert sorted((e.case_code, e.detail, e.at) for e in destroyed) == [
        (code, None, NOW),
        (withdrawn_code, None, NOW),
    ]
    assert audit.verify(vault).intact

    # The latest code of 2024 was destroyed: the next case of 2024 gets a new number.
    again = _new_case(vault, dt.date(2024, 6, 1))
    assert again not in {code, withdrawn_code, kept_code}
    assert again == "2024-004"
    vault.close()
    assert pages_holding(vault.path, key, gone) == 0


def _new_case(vault: Vault, opened: dt.date, closed: dt.date | None = None) -> str:
    case = cases.create_case(
        vault,
        Intake(opened=opened, facts=CaseFacts(reporter_role="employee", categories=("bullying",))),
        today=TODAY,
        taxonomy=TAXONOMY,
        default_organisation=ORGANISATION,
    )
    if closed is not None:
        cases.change_status(vault, case.code, "closed", closed, today=TODAY)
    return case.code


def test_due_postponed_and_refused(vault: Vault) -> None:
    old = _new_case(vault, dt.date(2024, 1, 5), dt.date(2024, 3, 1))
    fresh = _new_case(vault, dt.date(2026, 1, 5), dt.date(2026, 3, 1))
    open_case = _new_case(vault, dt.date(2026, 5, 1))
    due = retention.due_cases(vault, today=TODAY)
    assert [case.code for case in due] == [old]
    assert due[0].reason == "gesloten 1 maart 2024, 2 jaar bewaard"
    assert due[0].organisation == ORGANISATION and due[0].closed_on == dt.date(2024, 3, 1)

    with pytest.raises(InvalidInput):
        retention.destroy(vault, [old, fresh], now=NOW)  # fresh is not due: nothing goes
    with pytest.raises(InvalidInput):
        retention.destroy(vault, [open_case], now=NOW, early=True)
    with pytest.raises(NotFound):
        retention.destroy(vault, ["2019-001"], now=NOW)
    assert len(retention.due_cases(vault, today=TODAY)) == 1

    with pytest.raises(InvalidInput):
        retention.postpone(vault, old, until=TODAY, reason="lopende klacht", now=NOW)
    with pytest.raises(InvalidInput):
        retention.postpone(vault, old, until=dt.date(2027, 6, 1), reason="  ", now=NOW)
    retention.postpone(vault, old, until=dt.date(2027, 6, 1), reason="lopende klacht", now=NOW)
    assert retention.due_cases(vault, today=TODAY) == []
    postponed = retention.postponed_cases(vault, today=TODAY)
    assert [(c.code, c.due_on, c.postponed_until) for c in postponed] == [
        (old, dt.date(2027, 6, 1), dt.date(2027, 6, 1))
    ]
    assert postponed[0].postponement_reason == "lopende klacht"
    assert [c.code for c in retention.due_cases(vault, today=dt.date(2027, 6, 1))] == [old]
    entry = audit.entries(vault)[0]
    assert (entry.action, entry.case_code, entry.detail) == (
        "retention.postponed",
        old,
        "2027-06-01",
    )
    # A closed case that is not due goes only when asked for early.
    done = retention.destroy(vault, [fresh], now=NOW, early=True)
    assert done.destroyed == (fresh,)


def test_a_published_report_makes_its_year_due(vault: Vault) -> None:
    code = _new_case(vault, dt.date(2025, 1, 5), dt.date(2025, 3, 1))
    assert retention.due_cases(vault, today=TODAY) == []
    built = report_service.build_report(vault, 2025, taxonomy=TAXONOMY)
    report_service.publish(vault, built, "json", dt.date(2026, 2, 15))
    due = retention.due_cases(vault, today=TODAY)
    assert [(c.code, c.due_on) for c in due] == [(code, dt.date(2026, 2, 15))]
    assert due[0].reason == "jaarverslag 2025 uitgebracht op 15 februari 2026"
