"""Provides rollback detection: the commit counter, its MAC, and this computer's record.

SQLite cannot tell that it lost saves. After a crash, committed transactions may live only
in the `-wal`; a damaged or deleted `-wal` drops them silently, and a vault replaced by an
older copy of itself opens as if nothing happened. So every write transaction adds one to a
counter inside the database (`commit_counter`), and after each commit the writer mirrors the
counter, with a MAC, into two places outside the database file:

1. the header (`commit`), replaced atomically;
2. a *state record* in the user's state folder (platformdirs), one small JSON file per vault,
   named by a hash of the vault's resolved path and its vault id.

On opening and in `confidant check` the database's counter is compared with both. A
database *behind* its header lost saves, or only its database file was rolled back; a vault
behind this computer's record was replaced as a whole (database and header) by an older
copy. A database *ahead* of its header is a crash between a commit and the header write:
harmless, and the next writer repairs it.

Order matters for readers that run beside the writer: the writer commits, then writes the
header, then the state record; a reader reads the state record and the header *before* it
takes its database snapshot, so a commit in between makes the database look ahead, never
behind.

The MAC is HMAC-SHA256 under a key that HKDF-SHA256 derives from the data key with its own
label; it covers the vault id and the counter, so nobody without the key can write a record
that hides a rollback. The audit chain (a later issue) adds its head to the MAC input.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from dataclasses import dataclass
from pathlib import Path

import sqlcipher3
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from confidant_tui.atomic_file import write_private_atomically
from confidant_tui.i18n import _, ngettext
from confidant_tui.paths import state_dir
from confidant_tui.vault.audit_chain import EMPTY_HEAD
from confidant_tui.vault.connection import Connection
from confidant_tui.vault.header import MAX_COUNTER, CommitMark, Header

MAC_INFO = b"confidant-commit-mac"
"""HKDF label of the commit MAC key."""
STATE_FORMAT = "confidant-vault-state"
BACKUP_FORMAT = "confidant-vault-backups"
MAX_RECORD_BYTES = 4096
MAX_BACKUP_RECORD_BYTES = 65536
MAX_KNOWN_BACKUPS = 50


def mac_key(data_key: bytes | bytearray) -> bytearray:
    """The commit MAC key: HKDF-SHA256(data key, no salt, info "confidant-commit-mac")."""
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=MAC_INFO).derive(
        bytes(data_key)
    )
    return bytearray(derived)


def commit_mac(key: bytes | bytearray, vault_id: str, counter: int, head: bytes) -> bytes:
    """HMAC-SHA256 over `"confidant-commit" 0x00 vault_id 0x00 counter 0x00 head` (the
    counter in decimal ASCII, the audit chain's head as 64 lowercase hex digits), so a mark
    also fixes the last audit entry: cutting off the log's tail makes it fail."""
    message = (
        b"confidant-commit\x00"
        + vault_id.encode("ascii")
        + b"\x00"
        + str(counter).encode()
        + b"\x00"
        + head.hex().encode()
    )
    return hmac.new(bytes(key), message, hashlib.sha256).digest()


def mark_for(
    key: bytes | bytearray, vault_id: str, counter: int, head: bytes = EMPTY_HEAD
) -> CommitMark:
    """The commit mark (counter, audit head and MAC) of `counter`."""
    return CommitMark(counter, commit_mac(key, vault_id, counter, head), head)


def is_genuine(key: bytes | bytearray, vault_id: str, mark: CommitMark) -> bool:
    """Whether `mark`'s MAC was made with this vault's key for its counter and head."""
    return hmac.compare_digest(commit_mac(key, vault_id, mark.counter, mark.head), mark.mac)


def database_counter(conn: Connection) -> int | None:
    """The database's commit counter (None: a vault from before the counter existed)."""
    try:
        row = conn.execute("SELECT value FROM commit_counter WHERE only = 1").fetchone()
    except sqlcipher3.OperationalError as error:
        if "no such table" in str(error):
            return None
        raise
    return None if row is None else int(row[0])


def bump_counter(conn: Connection) -> int:
    """Adds one to the counter inside the caller's write transaction; returns the new value."""
    row = conn.execute(
        "UPDATE commit_counter SET value = value + 1 WHERE only = 1 RETURNING value"
    ).fetchone()
    if row is None:
        raise RuntimeError("the vault has no commit counter")
    return int(row[0])


def set_counter(conn: Connection, value: int) -> None:
    """Sets the counter (inside the caller's write transaction): used when the adviser
    accepts a vault that went back in time, so it continues above every number seen."""
    conn.execute("UPDATE commit_counter SET value = ? WHERE only = 1", (value,))


# -- this computer's records ---------------------------------------------------------------


def _record_stem(vault_path: Path, vault_id: str) -> str:
    resolved = os.path.realpath(Path(vault_path).expanduser())
    digest = hashlib.sha256(f"{resolved}\x00{vault_id}".encode()).hexdigest()
    return digest[:32]


def state_record_path(vault_path: Path, vault_id: str) -> Path:
    """The state record of the vault at `vault_path` with `vault_id`."""
    return state_dir() / "vaults" / f"{_record_stem(vault_path, vault_id)}.json"


def backup_record_path(vault_path: Path, vault_id: str) -> Path:
    """The record of the vault's last verified backup (its own file: a backup made by
    another process never races the writer's state record)."""
    return state_dir() / "vaults" / f"{_record_stem(vault_path, vault_id)}.backup.json"


def _read_json(path: Path, limit: int = MAX_RECORD_BYTES) -> dict[str, object] | None:
    try:
        with open(path, "rb") as handle:
            raw = handle.read(limit + 1)
        document = json.loads(raw.decode("utf-8"))
    except (OSError, UnicodeDecodeError, ValueError, RecursionError):
        return None
    return document if isinstance(document, dict) else None


def _write_json(path: Path, document: dict[str, object], *, durable: bool) -> None:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    data = (json.dumps(document, indent=2) + "\n").encode("utf-8")
    write_private_atomically(path, data, sync_folder=durable, sync_file=durable)


def read_state(vault_path: Path, vault_id: str) -> CommitMark | None:
    """This computer's record of the vault's latest save (None: none, or unreadable).

    The MAC is not checked here (that needs the data key; see `assess`): read the record
    before the database snapshot, check it after.
    """
    document = _read_json(state_record_path(vault_path, vault_id))
    if document is None or document.get("format") != STATE_FORMAT:
        return None
    counter, mac, head = document.get("counter"), document.get("mac"), document.get("head")
    if document.get("vault_id") != vault_id or not isinstance(mac, str):
        return None
    if not isinstance(head, str):
        return None
    if not isinstance(counter, int) or isinstance(counter, bool):
        return None
    if not 0 <= counter <= MAX_COUNTER:
        return None
    try:
        mac_bytes, head_bytes = bytes.fromhex(mac), bytes.fromhex(head)
    except ValueError:
        return None
    if len(mac_bytes) != 32 or len(head_bytes) != 32:
        return None
    return CommitMark(counter, mac_bytes, head_bytes)


def write_state(vault_path: Path, vault_id: str, mark: CommitMark) -> None:
    """Replaces this computer's record of the vault's latest save.

    Raises:
        OSError: the state folder cannot be written (callers after a commit ignore it: the
            record only lags, which is never reported as a rollback).
    """
    document: dict[str, object] = {
        "format": STATE_FORMAT,
        "version": 1,
        "vault_id": vault_id,
        "counter": mark.counter,
        "head": mark.head.hex(),
        "mac": mark.mac.hex(),
    }
    # Not synced to disk: after a power cut the record may lag or be unreadable, and both
    # mean "no newer save known", never a false alarm; the header carries the same mark
    # durably. This keeps the cost of a save to one extra fsync.
    _write_json(state_record_path(vault_path, vault_id), document, durable=False)


def forget_state(vault_path: Path, vault_id: str) -> None:
    """Removes this computer's record of the vault (its counter is no longer the truth)."""
    state_record_path(vault_path, vault_id).unlink(missing_ok=True)


def _backup_document(vault_path: Path, vault_id: str) -> dict[str, object] | None:
    document = _read_json(backup_record_path(vault_path, vault_id), MAX_BACKUP_RECORD_BYTES)
    if document is None or document.get("format") != BACKUP_FORMAT:
        return None
    return document


def last_backup(vault_path: Path, vault_id: str) -> str | None:
    """When the last verified backup of this vault was made on this computer (UTC,
    `YYYY-MM-DDTHH:MM:SSZ`), or None."""
    document = _backup_document(vault_path, vault_id)
    made_at = document.get("last_verified_backup") if document else None
    return made_at if isinstance(made_at, str) else None


def known_backups(vault_path: Path, vault_id: str) -> list[tuple[str, str]]:
    """The backups of this vault made on this computer: (absolute path, made_at UTC
    `YYYY-MM-DDTHH:MM:SSZ`), in the order they were made; a file may since have gone."""
    document = _backup_document(vault_path, vault_id)
    listed = document.get("backups") if document else None
    if not isinstance(listed, list):
        return []
    found = []
    for item in listed:
        if isinstance(item, dict):
            path, made_at = item.get("path"), item.get("made_at")
            if isinstance(path, str) and isinstance(made_at, str):
                found.append((path, made_at))
    return found


def record_backup(
    vault_path: Path, vault_id: str, made_at: str, backup_path: Path | None = None
) -> None:
    """Records a verified backup (the moment, UTC); see `last_backup`. With `backup_path`
    the file joins the list of `known_backups` (one entry per path, the newest
    `MAX_KNOWN_BACKUPS` kept), so a destruction can name the backups that still hold it."""
    known = known_backups(vault_path, vault_id)
    if backup_path is not None:
        where = os.path.abspath(Path(backup_path).expanduser())
        known = [item for item in known if item[0] != where] + [(where, made_at)]
        while known and len(json.dumps(known)) > MAX_BACKUP_RECORD_BYTES // 2:
            known.pop(0)
    document: dict[str, object] = {
        "format": BACKUP_FORMAT,
        "version": 1,
        "vault_id": vault_id,
        "last_verified_backup": made_at,
        "backups": [
            {"path": path, "made_at": moment} for path, moment in known[-MAX_KNOWN_BACKUPS:]
        ],
    }
    _write_json(backup_record_path(vault_path, vault_id), document, durable=True)


# -- the comparison ----------------------------------------------------------------------


@dataclass(frozen=True)
class Freshness:
    """How the database's counter compares with the records outside it.

    Attributes:
        database: the database's counter (None: a vault from before the counter).
        header: the header's counter (None: no mark, as in a version 1 header).
        state: this computer's record (None: none, or not made with this vault's key).
        header_genuine: the header's mark carries a valid MAC (True when there is none).
        is_backup: the header marks a backup. This computer's record is consulted all
            the same: it is kept per path, so a backup in its own place has none, and a
            backup pair copied over the vault's files is a vault gone back in time.
    """

    database: int | None
    header: int | None
    state: int | None
    header_genuine: bool = True
    is_backup: bool = False
    tail_cut: bool = False
    """At the same counter, the header or this computer's record names another last audit
    entry than the database holds: entries were removed from the end of the audit log."""

    @property
    def missing_from_header(self) -> int:
        """Saves the header remembers that the database lacks."""
        if self.database is None or self.header is None:
            return 0
        return max(0, self.header - self.database)

    @property
    def missing_from_state(self) -> int:
        """Saves this computer remembers that the vault lacks."""
        if self.database is None or self.state is None:
            return 0
        return max(0, self.state - self.database)

    @property
    def missing(self) -> int:
        """The larger of the two gaps: how many saves are missing at least."""
        return max(self.missing_from_header, self.missing_from_state)

    @property
    def went_back(self) -> bool:
        """Whether saves are missing (the vault went back in time)."""
        return self.missing > 0

    @property
    def header_lags(self) -> bool:
        """The header holds an older counter than the database (harmless; a writer fixes it)."""
        return self.database is not None and (self.header is None or self.header < self.database)

    @property
    def highest(self) -> int:
        """The highest counter any record has seen."""
        return max(
            value for value in (self.database, self.header, self.state, 0) if value is not None
        )

    def explanation(self) -> str:
        """What went wrong, for the adviser (empty when nothing did)."""
        if self.missing_from_state > self.missing_from_header:
            return ngettext(
                "This vault lacks {count} save that this computer saw before: the vault was "
                "replaced by an older copy of itself.",
                "This vault lacks {count} saves that this computer saw before: the vault was "
                "replaced by an older copy of itself.",
                self.missing_from_state,
            ).format(count=self.missing_from_state)
        if self.missing_from_header:
            return ngettext(
                "The database lacks {count} save that its header records: saves made just "
                "before a crash were lost (a damaged or missing '-wal' file), or the database "
                "file was replaced by an older copy.",
                "The database lacks {count} saves that its header records: saves made just "
                "before a crash were lost (a damaged or missing '-wal' file), or the database "
                "file was replaced by an older copy.",
                self.missing_from_header,
            ).format(count=self.missing_from_header)
        return ""


def assess(
    database: int | None,
    header: Header,
    state: CommitMark | None,
    key: bytes | bytearray,
    head: bytes = EMPTY_HEAD,
) -> Freshness:
    """Compares the database's counter and audit head with the header's and the state
    record's marks, trusting a mark only when its MAC is this vault's.

    Args:
        database: the database's commit counter.
        header: the header read before the database snapshot.
        state: this computer's record, read before the snapshot.
        key: the commit MAC key (`mac_key`).
        head: the database's audit chain head (`audit_chain.head`).
    """
    header_mark = header.commit
    header_genuine = header_mark is None or is_genuine(key, header.vault_id, header_mark)
    trusted_state = state if state is not None and is_genuine(key, header.vault_id, state) else None
    tail_cut = any(
        mark is not None and mark.counter == database and mark.head != head
        for mark in (header_mark if header_genuine else None, trusted_state)
    )
    return Freshness(
        database=database,
        header=header_mark.counter if header_mark is not None and header_genuine else None,
        state=trusted_state.counter if trusted_state is not None else None,
        header_genuine=header_genuine,
        is_backup=header.backup is not None,
        tail_cut=tail_cut,
    )


def rollback_message(freshness: Freshness) -> str:
    """The adviser's message for a vault that went back in time, with what to do."""
    return (
        freshness.explanation()
        + " "
        + _(
            "Keep a copy of the vault folder as it is now, and compare it with your latest "
            "backup before you continue."
        )
    )
