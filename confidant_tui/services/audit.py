"""Provides the audit log as use cases: record an act, list the entries, verify the chain.

An act that has its own write transaction appends its entry inside it
(`Vault.append_audit`, called by the service that does the act), so the act and its entry
are saved together. `record` is for acts without one: an unlock, a lock, an export. In a
read-only process it leaves the entry beside the vault for the next writer
(`vault.audit_pending`).
"""

from __future__ import annotations

import datetime as dt

from confidant_tui.domain.audit import ACTIONS, AuditEntry, AuditFilter, ChainCheck
from confidant_tui.vault import audit_chain
from confidant_tui.vault.store import Vault

__all__ = ["ACTIONS", "AuditEntry", "AuditFilter", "ChainCheck", "entries", "record", "verify"]


def record(
    vault: Vault,
    action: str,
    *,
    now: dt.datetime,
    case_code: str | None = None,
    detail: str | None = None,
) -> None:
    """Records an act in the audit log (see the module docstring).

    Raises:
        StorageError: it could not be recorded.
    """
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    vault.record_audit(action, at=now.replace(microsecond=0), case_code=case_code, detail=detail)


def entries(
    vault: Vault, selection: AuditFilter | None = None, *, limit: int | None = None
) -> list[AuditEntry]:
    """The entries that match `selection`, newest first."""
    with vault.reading() as conn:
        return audit_chain.entries(conn, selection, limit=limit)


def verify(vault: Vault) -> ChainCheck:
    """Recomputes every MAC of the chain: the first broken entry, if any."""
    return vault.verify_audit()
