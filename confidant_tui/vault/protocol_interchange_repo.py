"""Provides the `consents` and `protocol` entries of the interchange file <-> the vault.

Called inside the import's transaction (store) or a reading (export), with the
connection `services.importing` opened; the checks ran before, in
`domain.protocol_interchange`, and the entries' form is `domain.protocol_interchange_export`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

from confidant_tui.domain.consent import Withdrawal
from confidant_tui.domain.interchange import ImportedCase
from confidant_tui.domain.protocol_interchange import ImportedProtocol
from confidant_tui.domain.protocol_interchange_export import case_protocol
from confidant_tui.vault import protocol_repo
from confidant_tui.vault.store import Connection


def store_imported_protocol(
    conn: Connection, case_id: int, imported: ImportedProtocol, recorded_at: dt.datetime
) -> None:
    """Stores a case's checked `consents` and `protocol` entries inside the import transaction.

    Args:
        conn: the connection, inside the import's transaction.
        case_id: the newly stored case.
        imported: the output of `protocol_interchange.parse_case_consents_and_protocol`
            (without problems).
        recorded_at: when the import ran.
    """
    for item in imported.consents:
        record = replace(item.record, id=None, corrects=None)
        consent_id = protocol_repo.insert_consent(conn, case_id, record, recorded_at)
        if item.withdrawn_at is not None:
            protocol_repo.insert_withdrawal(
                conn, case_id, Withdrawal(consent_id, item.withdrawn_at), recorded_at
            )
    for procedure in imported.procedures:
        pid = protocol_repo.insert_procedure(
            conn, case_id, procedure.opened_at, procedure.ground, recorded_at
        )
        for step in procedure.steps:
            protocol_repo.insert_step(conn, pid, case_id, step, recorded_at)


def store_case_section(
    conn: Connection, case_id: int, case: ImportedCase, parsed: Any, recorded_at: dt.datetime
) -> None:
    """The store step of the import section (`ImportSection.store`): the parsed entries of
    one case, recorded at the moment of the import; nothing when the case had none."""
    if parsed is not None:
        store_imported_protocol(conn, case_id, parsed, recorded_at)


def export_case_protocol(conn: Connection, case_id: int) -> dict[str, list[Any]]:
    """A case's consents and disclosed procedures in the interchange form
    (`domain.protocol_interchange_export.case_protocol`)."""
    return case_protocol(
        protocol_repo.load_ledger(conn, case_id),
        [
            protocol_repo.existing_procedure(conn, pid)
            for pid in protocol_repo.procedure_ids(conn, case_id)
        ],
    )
