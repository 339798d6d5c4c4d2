"""Provides the protocol use cases: open a procedure, record its steps, and what follows.

Every step is checked by the domain rules (`domain.protocol_rules`) against the procedure
and the consent ledger as stored, inside the same transaction that stores it, so a
disclosure is only ever written when its ground, justification, conditions and the prior
informing of the reporter are there. Nothing is updated or deleted: corrections are new
steps or addenda; `destroy_case_records` is the one documented exception, for destroying
a whole case under the retention policy.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any

from confidant_tui.domain.consent import Withdrawal
from confidant_tui.domain.protocol import (
    ConsentAttempt,
    Consultation,
    Disclosure,
    Informing,
    InformingForbidden,
    Justification,
    LegalBasis,
    Procedure,
    ReferralOffer,
    Step,
)
from confidant_tui.domain.protocol_interchange import ImportedProtocol
from confidant_tui.domain.protocol_rules import check_opening, check_step
from confidant_tui.domain.protocol_time import moment_text, system_clock, to_minute
from confidant_tui.errors import NotFound
from confidant_tui.i18n import _
from confidant_tui.services.cases import CaseRef, resolve_case
from confidant_tui.vault import protocol_repo
from confidant_tui.vault.store import Connection, Vault


def _now(now: dt.datetime | None) -> dt.datetime:
    return to_minute(now) if now is not None else system_clock()


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
    now: dt.datetime | None = None,
) -> int:
    """Opens a protocol procedure on a case.

    Args:
        vault: the open vault.
        case: the case's id or code.
        ground: one of the protocol grounds, or None while undecided (choose it later with a
            `GroundChosen` step; a disclosure needs it).
        opened_at: when (default: now).
        now: the current moment (default: the system clock).

    Returns:
        The procedure's id.

    Raises:
        NotFound: no such case. ProtocolViolation: unknown ground, or in the future.
    """
    moment = _now(now)
    opened = to_minute(opened_at) if opened_at is not None else moment
    check_opening(ground, opened, moment)
    with vault.transaction() as conn:
        case_id = resolve_case(conn, case)
        return protocol_repo.insert_procedure(conn, case_id, opened, ground, moment)


def _load(conn: Connection, procedure_id: int) -> Procedure:
    procedure = protocol_repo.load_procedure(conn, procedure_id)
    if procedure is None:
        raise NotFound(_("There is no such protocol procedure."))
    return procedure


def record_step(
    vault: Vault, procedure_id: int, step: Step, *, now: dt.datetime | None = None
) -> Procedure:
    """Records one step, after checking it against the stored procedure and consent ledger.

    Args:
        vault: the open vault.
        procedure_id: the procedure.
        step: the step (its `id` is ignored; `corrects` names an earlier step's id).
        now: the current moment (default: the system clock).

    Returns:
        The procedure with the stored step (carrying its new id).

    Raises:
        NotFound: no such procedure. ProtocolViolation: the step is missing something or
            is out of order; its `problems` say which protocol step.
    """
    moment = _now(now)
    with vault.transaction() as conn:
        procedure = _load(conn, procedure_id)
        assert procedure.case_id is not None
        ledger = protocol_repo.load_ledger(conn, procedure.case_id)
        check_step(procedure, step, ledger=ledger, now=moment)
        protocol_repo.insert_step(conn, procedure_id, procedure.case_id, step, moment)
        return _load(conn, procedure_id)


def get_procedure(vault: Vault, procedure_id: int) -> Procedure:
    """The procedure with all its steps.

    Raises:
        NotFound: no such procedure.
    """
    with vault.reading() as conn:
        return _load(conn, procedure_id)


def case_procedures(vault: Vault, case: CaseRef) -> list[Procedure]:
    """The case's procedures, oldest first."""
    with vault.reading() as conn:
        case_id = resolve_case(conn, case)
        return [_load(conn, pid) for pid in protocol_repo.procedure_ids(conn, case_id)]


def procedures_with_open_items(vault: Vault) -> list[OpenItem]:
    """Procedures with something left to do, e.g. informing the reporter once allowed."""
    found = []
    with vault.reading() as conn:
        for pid in protocol_repo.all_procedure_ids(conn):
            procedure = _load(conn, pid)
            items = procedure.open_items()
            if items:
                assert procedure.case_id is not None
                code = conn.execute(
                    "SELECT code FROM cases WHERE id = ?", (procedure.case_id,)
                ).fetchone()[0]
                found.append(OpenItem(procedure.case_id, code, pid, tuple(items)))
    return found


def cases_without_confidentiality_explained(vault: Vault) -> list[CaseBrief]:
    """Cases where the limits of confidentiality ("vertrouwelijk, tenzij") were not explained.

    Returns:
        Every such case, oldest first (closed cases included: the record is still missing).
    """
    with vault.reading() as conn:
        rows = conn.execute(
            "SELECT id, code, opened, status FROM cases"
            " WHERE confidentiality_explained IS NULL ORDER BY opened, id"
        ).fetchall()
    return [CaseBrief(r[0], r[1], dt.date.fromisoformat(r[2]), r[3]) for r in rows]


def disclosures_by_ground(vault: Vault, year: int) -> dict[str, int]:
    """How many disclosures of each ground are dated in `year` (for the yearly report).

    A procedure counts once, by the ground in force at its disclosure; abandoned
    procedures and addenda do not count.
    """
    counts: dict[str, int] = {}
    with vault.reading() as conn:
        for pid in protocol_repo.all_procedure_ids(conn):
            procedure = _load(conn, pid)
            disclosure = procedure.disclosure
            ground = procedure.effective_ground
            if disclosure is not None and ground and disclosure.at.year == year:
                counts[ground] = counts.get(ground, 0) + 1
    return counts


def destroy_case_records(conn: Connection, case_id: int) -> None:
    """Removes the case's consents, withdrawals, procedures, steps, requests and addenda.

    The one documented exception to append-only (docs/protocol.md): call it inside the
    transaction that destroys the whole case under the retention policy, before
    `DELETE FROM cases`. Without it the append-only triggers refuse the cascade.

    Args:
        conn: the connection, inside the destroying transaction.
        case_id: the case being destroyed.
    """
    protocol_repo.delete_case_records(conn, case_id)


# -- import and export ---------------------------------------------------------------------


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


def _consent_date(moment: dt.datetime) -> str:
    """A consent's date as exchanged: `YYYY-MM-DD`, or the moment when it has a time."""
    return moment.date().isoformat() if moment.time() == dt.time(0, 0) else moment_text(moment)


def export_case_protocol(conn: Connection, case_id: int) -> dict[str, list[Any]]:
    """A case's consents and disclosed procedures in the interchange form.

    Only what the format can carry: the effective consents (with `withdrawn`), and each
    procedure closed by a disclosure, built from its latest effective steps. Open or
    abandoned procedures, addenda and information requests are not part of the format.
    """
    ledger = protocol_repo.load_ledger(conn, case_id)
    consents = []
    for record in ledger.effective():
        withdrawn = ledger.withdrawn_at(record.id)
        consents.append(
            {
                "purpose": record.purpose,
                "destination": record.destination,
                "scope": sorted(record.scope),
                "form": record.form,
                "date": _consent_date(record.given_at),
                "withdrawn": _consent_date(withdrawn) if withdrawn else None,
            }
        )
    protocol = []
    for pid in protocol_repo.procedure_ids(conn, case_id):
        procedure = _load(conn, pid)
        disclosure = procedure.disclosure
        if disclosure is not None:
            protocol.append(_protocol_entry(procedure, disclosure))
    return {"consents": consents, "protocol": protocol}


def _protocol_entry(procedure: Procedure, disclosure: Disclosure) -> dict[str, Any]:
    basis = procedure.latest(LegalBasis)
    forbidden = procedure.latest(InformingForbidden)
    informings = procedure.of_kind(Informing)
    before = [s for s in informings if s.at < disclosure.at]
    informing = before[-1] if before else (informings[-1] if informings else None)

    def text(kind: type[Step], attribute: str) -> str | None:
        step = procedure.latest(kind)
        return getattr(step, attribute) if step is not None else None

    return {
        "ground": procedure.effective_ground,
        "legal_basis": basis.legal_basis if basis else None,
        "demanded_by": basis.demanded_by if basis else None,
        "conditions": {str(n): t for n, t in sorted(procedure.conditions().items())} or None,
        "consent_attempts": text(ConsentAttempt, "description"),
        "consulted": text(Consultation, "consulted"),
        "informed_at": moment_text(informing.at) if informing else None,
        "informed_how": informing.how or None if informing else None,
        "reporter_reaction": informing.reaction or None if informing else None,
        "referral_offered": text(ReferralOffer, "explanation"),
        "disclosed_at": moment_text(disclosure.at),
        "recipient": disclosure.recipient or None,
        "disclosed_how": disclosure.how or None,
        "disclosed": disclosure.what or None,
        "shared": sorted(disclosure.shared),
        "justification": text(Justification, "text"),
        "informing_forbidden_by": forbidden.forbidden_by if forbidden else None,
        "informing_forbidden_reference": forbidden.reference if forbidden else None,
    }
