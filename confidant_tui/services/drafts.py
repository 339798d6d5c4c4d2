"""Provides drafts: unsaved form text kept inside the vault until it is saved or discarded.

When the app has to stop without being able to ask (SIGTERM, or SIGHUP when the terminal
is closed) or locks, the open forms are stored here, encrypted like everything else, as
drafts and not as records: nothing in the case file, the search index or a report sees
them. After the next unlock the app offers them back. A snapshot is the form's plain values
(the same dict a form keeps in memory across a lock), plus what the UI needs to rebuild the
form; this module only stores it.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from confidant_tui.vault import drafts_repo
from confidant_tui.vault.store import Vault

KINDS = ("intake", "facts", "conversation", "dialog")
"""What a draft can be: a new intake, a case's facts, a conversation, a dialog's fields."""


@dataclass(frozen=True)
class NewDraft:
    """A draft about to be stored.

    Attributes:
        kind: one of `KINDS`.
        case_id: the case it belongs to (None for a new intake).
        snapshot: plain JSON values (strings, numbers, booleans, lists, dicts, None).
    """

    kind: str
    case_id: int | None
    snapshot: dict[str, Any]


@dataclass(frozen=True)
class Draft:
    """A stored draft.

    Attributes:
        id: its row id.
        kind: one of `KINDS`.
        case_id: the case it belongs to, or None.
        case_code: that case's code (None without a case).
        snapshot: the stored values.
        created: the local moment it was stored.
    """

    id: int
    kind: str
    case_id: int | None
    case_code: str | None
    snapshot: dict[str, Any]
    created: dt.datetime


def save_drafts(
    vault: Vault,
    drafts: Sequence[NewDraft],
    *,
    replacing: Iterable[int] = (),
    now: dt.datetime,
) -> list[int]:
    """Stores drafts in one transaction, removing the drafts they replace; returns new ids.

    Args:
        vault: the open vault.
        drafts: the drafts to store (may be empty: then only `replacing` is removed).
        replacing: ids of stored drafts that these take the place of (a form restored from a
            draft and stored again).
        now: the moment to record (the caller's clock).

    Raises:
        ValueError: a kind that is not one of `KINDS`.
        StorageError: the disk refused the write; nothing was changed.
    """
    for draft in drafts:
        if draft.kind not in KINDS:
            raise ValueError(f"unknown draft kind {draft.kind!r}")
    moment = now.replace(microsecond=0).isoformat(timespec="seconds")
    encoded = [_encode(draft.snapshot) for draft in drafts]
    with vault.transaction() as conn:
        drafts_repo.delete(conn, replacing)
        return [
            drafts_repo.insert(conn, draft.kind, draft.case_id, text, moment)
            for draft, text in zip(drafts, encoded, strict=True)
        ]


def list_drafts(vault: Vault) -> list[Draft]:
    """Every stored draft, oldest first (a draft whose snapshot cannot be read is skipped)."""
    with vault.reading() as conn:
        rows = drafts_repo.rows(conn)
    found: list[Draft] = []
    for draft_id, kind, case_id, code, snapshot, created in rows:
        try:
            values = json.loads(snapshot)
            moment = dt.datetime.fromisoformat(created)
        except ValueError:
            continue
        if isinstance(values, dict):
            found.append(Draft(draft_id, kind, case_id, code, values, moment))
    return found


def discard_drafts(vault: Vault, ids: Iterable[int]) -> None:
    """Deletes drafts (restored and saved, or thrown away); unknown ids are ignored."""
    wanted = list(ids)
    if not wanted:
        return
    with vault.transaction() as conn:
        drafts_repo.delete(conn, wanted)


def _encode(snapshot: dict[str, Any]) -> str:
    # ASCII escapes keep every character as typed, lone surrogates and control characters
    # included, and give SQLite text that is always valid UTF-8.
    return json.dumps(snapshot, ensure_ascii=True, separators=(",", ":"), allow_nan=False)
