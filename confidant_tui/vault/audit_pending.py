"""Provides audit entries of read-only processes, left beside the vault for the writer.

A read-only process (a draft report, a backup made while the app is open, `check`) cannot
append to the chain: it does not hold the writer lock. It writes its entry to a small file
beside the vault instead, `.<vault>.audit.<32 hex>.pending` (16 hex digits of the clock in
nanoseconds, so entries of one second keep their order, then 16 random ones), encrypted with
AES-256-GCM under a key derived from the data key (HKDF-SHA256, info
"confidant-audit-pending"; associated data the vault id), so it reveals nothing but its own
existence. The next writer folds every such file into the chain when it opens the vault and
again when it closes it, in the order of the entries' moments (then of the file names),
inside one transaction, and deletes the files after the commit. A crash between that commit
and the deletion may fold an entry twice; none is ever lost.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from confidant_tui.atomic_file import write_private_atomically
from confidant_tui.vault.audit_chain import MOMENT_FORMAT

PENDING_INFO = b"confidant-audit-pending"
SUFFIX = ".pending"
MAX_PENDING_BYTES = 4096


@dataclass(frozen=True)
class PendingEntry:
    """An entry waiting for the writer, and the file it came from."""

    path: Path
    at: dt.datetime
    action: str
    case_code: str | None
    detail: str | None


def _key(data_key: bytes | bytearray) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=PENDING_INFO).derive(
        bytes(data_key)
    )


def _prefix(vault_path: Path) -> str:
    return f".{vault_path.name}.audit."


def leave(
    vault_path: Path,
    data_key: bytes | bytearray,
    vault_id: str,
    *,
    at: dt.datetime,
    action: str,
    case_code: str | None = None,
    detail: str | None = None,
) -> Path:
    """Writes one pending entry beside the vault (0600, atomically); returns its path.

    Raises:
        OSError: the vault's folder cannot be written.
    """
    document = {
        "at": at.strftime(MOMENT_FORMAT),
        "action": action,
        "case": case_code,
        "detail": detail,
    }
    nonce = secrets.token_bytes(12)
    sealed = AESGCM(_key(data_key)).encrypt(
        nonce, json.dumps(document).encode("utf-8"), vault_id.encode("ascii")
    )
    stamp = f"{time.time_ns():016x}{secrets.token_hex(8)}"
    path = vault_path.with_name(f"{_prefix(vault_path)}{stamp}{SUFFIX}")
    write_private_atomically(path, nonce + sealed, replace=False)
    return path


def gather(vault_path: Path, data_key: bytes | bytearray, vault_id: str) -> list[PendingEntry]:
    """Every readable pending entry of this vault, oldest first. A file that does not open
    with this vault's key (another vault's, or damaged) is left where it is."""
    prefix = _prefix(vault_path)
    try:
        names = [
            n for n in os.listdir(vault_path.parent) if n.startswith(prefix) and n.endswith(SUFFIX)
        ]
    except OSError:
        return []
    key = _key(data_key)
    found: list[PendingEntry] = []
    for name in names:
        path = vault_path.parent / name
        try:
            raw = path.read_bytes()[: MAX_PENDING_BYTES + 1]
            plain = AESGCM(key).decrypt(raw[:12], raw[12:], vault_id.encode("ascii"))
            document = json.loads(plain.decode("utf-8"))
            found.append(
                PendingEntry(
                    path,
                    dt.datetime.strptime(str(document["at"]), MOMENT_FORMAT),
                    str(document["action"]),
                    document.get("case"),
                    document.get("detail"),
                )
            )
        except (OSError, InvalidTag, ValueError, KeyError, TypeError):
            continue
    return sorted(found, key=lambda entry: (entry.at, entry.path.name))


STALE_TEMP_SECONDS = 1.0
"""A pending entry's temp file older than this was left by a killed process (writing one
takes milliseconds)."""


def remove_stale_temps(vault_path: Path) -> None:
    """Removes the temp files of pending entries that a killed process left half-written
    (`leave` writes a temp beside the entry and links it into place). Only ones older than
    `STALE_TEMP_SECONDS`, so a read-only process writing one right now is not disturbed.
    Call with the writer lock held."""
    temp_start = f".{_prefix(vault_path)}"
    now = time.time()
    try:
        items = list(vault_path.parent.iterdir())
    except OSError:
        return
    for item in items:
        name = item.name
        if not (name.startswith(temp_start) and name.endswith(".tmp") and SUFFIX in name):
            continue
        with contextlib.suppress(OSError):
            if now - item.stat().st_mtime > STALE_TEMP_SECONDS:
                item.unlink()


def remove(entries: list[PendingEntry]) -> None:
    """Deletes the files of entries that were folded into the chain."""
    for entry in entries:
        with contextlib.suppress(OSError):
            entry.path.unlink()
