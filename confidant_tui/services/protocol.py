"""Provides the protocol use cases: open a procedure, record its steps, and what follows.

Every step is checked by the domain rules (`domain.protocol_rules`) against the procedure
and the consent ledger as stored, inside the same transaction that stores it, so a
disclosure is only ever written when its ground, justification, conditions and the prior
informing of the reporter are there. Nothing is updated or deleted: corrections are new
steps or addenda; `vault.protocol_repo.delete_case_records` is the one documented
exception, for destroying a whole case under the retention policy (`docs/protocol.md`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from confidant_tui.domain.protocol import Procedure, Step
from confidant_tui.domain.protocol_rules import check_opening, check_step
from confidant_tui.domain.protocol_time import to_minute
from confidant_tui.services import audit_acts
from confidant_tui.services.cases import CaseRef
from confidant_tui.vault import cases_query, protocol_repo
from confidant_tui.vault.store import Vault


@dataclass(frozen=True)
class CaseBrief:
    """A case named in a list of things to attend to."""

    case_id: int
    code: str
    opened: dt.date
    status: str


@dataclass(frozen=True)
class OpenItem:
    """A procedure with something still to do (e.g. `inform_reporter`)."""

    case_id: int
    code: str
    procedure_id: int
    items: tuple[str, ...]


def open_procedure(
    vault: Vault,
    case: CaseRef,
    ground: str | None,
    *,
    opened_at: dt.datetime | None = None,
    now: dt.datetime,
) -> int:
    """Opens a protocol procedure on a case.

    Args:
        vault: the open vault.
        case: the case's id or code.
        ground: one of the protocol grounds, or None while undecided (choose it later with a
            `GroundChosen` step; a disclosure needs it).
        opened_at: when (default: now).
        now: the current moment (the caller's clock; kept to the minute).

    Returns:
        The procedure's id.

    Raises:
        NotFound: no such case. ProtocolViolation: unknown ground, or in the future.
    """
    moment = to_minute(now)
    opened = to_minute(opened_at) if opened_at is not None else moment
    check_opening(ground, opened, moment)
    with vault.transaction() as conn:
        case_id = cases_query.resolve_case(conn, case)
        procedure_id = protocol_repo.insert_procedure(conn, case_id, opened, ground, moment)
        code = cases_query.case_code(conn, case_id)
        audit_acts.append(vault, conn, "protocol.step", case_code=code, detail="opened", at=now)
        return procedure_id


def record_step(vault: Vault, procedure_id: int, step: Step, *, now: dt.datetime) -> Procedure:
    """Records one step, after checking it against the stored procedure and consent ledger.

    Args:
        vault: the open vault.
        procedure_id: the procedure.
        step: the step (its `id` is ignored; `corrects` names an earlier step's id).
        now: the current moment (the caller's clock; kept to the minute).

    Returns:
        The procedure with the stored step (carrying its new id).

    Raises:
        NotFound: no such procedure. ProtocolViolation: the step is missing something or
            is out of order; its `problems` say which protocol step.
    """
    moment = to_minute(now)
    with vault.transaction() as conn:
        procedure = protocol_repo.existing_procedure(conn, procedure_id)
        assert procedure.case_id is not None
        ledger = protocol_repo.load_ledger(conn, procedure.case_id)
        check_step(procedure, step, ledger=ledger, now=moment)
        protocol_repo.insert_step(conn, procedure_id, procedure.case_id, step, moment)
        code = cases_query.case_code(conn, procedure.case_id)
        audit_acts.append(vault, conn, "protocol.step", case_code=code, detail=step.kind, at=now)
        return protocol_repo.existing_procedure(conn, procedure_id)


def get_procedure(vault: Vault, procedure_id: int) -> Procedure:
    """The procedure with all its steps.

    Raises:
        NotFound: no such procedure.
    """
    with vault.reading() as conn:
        return protocol_repo.existing_procedure(conn, procedure_id)


def case_procedures(vault: Vault, case: CaseRef) -> list[Procedure]:
    """The case's procedures, oldest first."""
    with vault.reading() as conn:
        case_id = cases_query.resolve_case(conn, case)
        return [
            protocol_repo.existing_procedure(conn, pid)
            for pid in protocol_repo.procedure_ids(conn, case_id)
        ]


def procedures_with_open_items(vault: Vault) -> list[OpenItem]:
    """Procedures with something left to do, e.g. informing the reporter once allowed."""
    found = []
    with vault.reading() as conn:
        for pid in protocol_repo.all_procedure_ids(conn):
            procedure = protocol_repo.existing_procedure(conn, pid)
            items = procedure.open_items()
            if items:
                assert procedure.case_id is not None
                code = cases_query.case_code(conn, procedure.case_id)
                found.append(OpenItem(procedure.case_id, code, pid, tuple(items)))
    return found


def cases_without_confidentiality_explained(vault: Vault) -> list[CaseBrief]:
    """Cases where the limits of confidentiality ("vertrouwelijk, tenzij") were not explained.

    Returns:
        Every such case, oldest first (closed cases included: the record is still missing).
    """
    with vault.reading() as conn:
        rows = cases_query.without_confidentiality_explained(conn)
    return [CaseBrief(*row) for row in rows]


def disclosures_by_ground(vault: Vault, year: int) -> dict[str, int]:
    """How many disclosures of each ground are dated in `year` (for the yearly report).

    A procedure counts once, by the ground in force at its disclosure; abandoned
    procedures and addenda do not count.
    """
    counts: dict[str, int] = {}
    with vault.reading() as conn:
        for pid in protocol_repo.all_procedure_ids(conn):
            procedure = protocol_repo.existing_procedure(conn, pid)
            disclosure = procedure.disclosure
            ground = procedure.effective_ground
            if disclosure is not None and ground and disclosure.at.year == year:
                counts[ground] = counts.get(ground, 0) + 1
    return counts
