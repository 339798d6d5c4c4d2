"""Provides the audit chain in the vault: appending entries and verifying the MACs.

Each entry's MAC is HMAC-SHA256 under the *audit key* (HKDF-SHA256 of the data key, info
"confidant-audit-chain"; never stored) over the previous entry's MAC and its own fields:

    mac_n = HMAC(audit key, mac_(n-1) || "confidant-audit" 0x00 id 0x00 at 0x00 action
                 0x00 case_code 0x00 detail)

with `mac_0` = 32 zero bytes, the id in decimal ASCII, `at` as stored
(`YYYY-MM-DDTHH:MM:SS`) and an absent case code or detail as the empty string. Removing,
altering, reordering or inserting an entry breaks the first MAC after the change. The last
MAC, the *head*, is part of the commit counter's MAC (`vault.freshness`), so cutting off
the tail of the log makes the header's mark fail.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac

import sqlcipher3
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from confidant_tui.domain.audit import AuditEntry, AuditFilter, ChainCheck
from confidant_tui.vault.connection import Connection, inserted_id

AUDIT_INFO = b"confidant-audit-chain"
EMPTY_HEAD = bytes(32)
MOMENT_FORMAT = "%Y-%m-%dT%H:%M:%S"


def audit_key(data_key: bytes | bytearray) -> bytearray:
    """The audit key: HKDF-SHA256(data key, no salt, info "confidant-audit-chain")."""
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=AUDIT_INFO).derive(
        bytes(data_key)
    )
    return bytearray(derived)


def entry_mac(
    key: bytes | bytearray,
    previous: bytes,
    entry_id: int,
    at: str,
    action: str,
    case_code: str | None,
    detail: str | None,
) -> bytes:
    """The MAC of one entry (see the module's docstring)."""
    fields = "\x00".join((str(entry_id), at, action, case_code or "", detail or ""))
    message = previous + b"confidant-audit\x00" + fields.encode("utf-8")
    return hmac.new(bytes(key), message, hashlib.sha256).digest()


def has_log(conn: Connection) -> bool:
    """Whether the vault has the audit table (schema 9 and later)."""
    row = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'audit_log'"
    ).fetchone()
    return row is not None


def head(conn: Connection) -> bytes:
    """The MAC of the last entry (32 zero bytes when the log is empty or absent).

    One query: it runs after every save (`Vault.transaction`), and a vault from before
    schema 9 simply has no table yet.
    """
    try:
        row = conn.execute("SELECT mac FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
    except sqlcipher3.OperationalError as error:
        if "no such table" in str(error):
            return EMPTY_HEAD
        raise
    return bytes.fromhex(str(row[0])) if row else EMPTY_HEAD


def append(
    conn: Connection,
    key: bytes | bytearray,
    *,
    at: dt.datetime,
    action: str,
    case_code: str | None = None,
    detail: str | None = None,
) -> AuditEntry:
    """Appends one entry inside the caller's write transaction; returns it."""
    row = conn.execute("SELECT id, mac FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
    previous_id, previous = (int(row[0]), bytes.fromhex(str(row[1]))) if row else (0, EMPTY_HEAD)
    entry_id = previous_id + 1
    stamp = at.strftime(MOMENT_FORMAT)
    mac = entry_mac(key, previous, entry_id, stamp, action, case_code, detail)
    inserted = inserted_id(
        conn.execute(
            "INSERT INTO audit_log(id, at, action, case_code, detail, mac) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (entry_id, stamp, action, case_code, detail, mac.hex()),
        )
    )
    return AuditEntry(
        inserted, dt.datetime.strptime(stamp, MOMENT_FORMAT), action, case_code, detail
    )


def verify(conn: Connection, key: bytes | bytearray) -> ChainCheck:
    """Recomputes every MAC in order; names the first entry that fails.

    An entry fails when its MAC is not the one its fields and its predecessor give, or when
    the ids do not run 1, 2, 3, ... (a removed or inserted row).
    """
    if not has_log(conn):
        return ChainCheck(0, None, EMPTY_HEAD)
    previous = EMPTY_HEAD
    count = 0
    expected_id = 1
    for entry_id, at, action, case_code, detail, mac in conn.execute(
        "SELECT id, at, action, case_code, detail, mac FROM audit_log ORDER BY id"
    ):
        count += 1
        try:
            stored = bytes.fromhex(str(mac))
        except ValueError:
            return ChainCheck(count, int(entry_id), previous)
        computed = entry_mac(key, previous, int(entry_id), str(at), str(action), case_code, detail)
        if int(entry_id) != expected_id or not hmac.compare_digest(stored, computed):
            return ChainCheck(count, int(entry_id), previous)
        previous = stored
        expected_id += 1
    return ChainCheck(count, None, previous)


def entries(
    conn: Connection, selection: AuditFilter | None = None, *, limit: int | None = None
) -> list[AuditEntry]:
    """The entries that match, newest first."""
    selection = selection or AuditFilter()
    if not has_log(conn):
        return []
    clauses: list[str] = []
    values: list[object] = []
    if selection.action:
        clauses.append("action = ?")
        values.append(selection.action)
    if selection.case_code:
        clauses.append("case_code = ?")
        values.append(selection.case_code)
    if selection.since:
        clauses.append("at >= ?")
        values.append(selection.since.isoformat())
    if selection.until:
        clauses.append("at < ?")
        values.append((selection.until + dt.timedelta(days=1)).isoformat())
    where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
    tail = "" if limit is None else f" LIMIT {int(limit)}"
    rows = conn.execute(
        f"SELECT id, at, action, case_code, detail FROM audit_log {where} ORDER BY id DESC{tail}",
        values,
    )
    return [
        AuditEntry(int(r[0]), dt.datetime.strptime(str(r[1]), MOMENT_FORMAT), str(r[2]), r[3], r[4])
        for r in rows
    ]
