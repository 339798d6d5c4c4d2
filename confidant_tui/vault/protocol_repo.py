"""Provides the protocol repository: rows of the append-only protocol tables <-> domain objects.

Only INSERT and SELECT live here: the tables of `0003_protocol.sql` refuse UPDATE and
DELETE by trigger, except inside `delete_case_records`, the one documented path for
destroying a whole case. Every function takes a connection inside the caller's
transaction. A step's own fields are stored as a JSON object in `procedure_steps.data`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from typing import Any

from confidant_tui.domain.consent import ConsentLedger, ConsentRecord, LedgerAddendum, Withdrawal
from confidant_tui.domain.information_request import InformationAnswer, InformationRequest
from confidant_tui.domain.protocol import STEP_TYPES, Procedure, Step
from confidant_tui.domain.protocol_time import moment_text, parse_moment
from confidant_tui.errors import NotFound
from confidant_tui.i18n import _
from confidant_tui.vault.connection import inserted_id
from confidant_tui.vault.store import Connection

_BASE_FIELDS = {"at", "id", "corrects"}
_APPEND_ONLY_TABLES = (
    "ledger_addenda",
    "information_answers",
    "information_requests",
    "procedure_steps",
    "procedures",
    "consent_withdrawals",
    "consents",
)
"""Children first: the order `delete_case_records` empties them in."""


def _opt_moment(value: str | None) -> dt.datetime | None:
    return parse_moment(value) if value else None


# -- consents ------------------------------------------------------------------------------


def insert_consent(
    conn: Connection, case_id: int, record: ConsentRecord, recorded_at: dt.datetime
) -> int:
    """Stores a consent; returns its id."""
    cursor = conn.execute(
        "INSERT INTO consents(case_id, purpose, destination, scope, form, given_at, corrects,"
        " note, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            case_id,
            record.purpose,
            record.destination,
            json.dumps(sorted(record.scope)),
            record.form,
            moment_text(record.given_at),
            record.corrects,
            record.note,
            moment_text(recorded_at),
        ),
    )
    return inserted_id(cursor)


def insert_withdrawal(
    conn: Connection, case_id: int, withdrawal: Withdrawal, recorded_at: dt.datetime
) -> int:
    """Stores a withdrawal; returns its id."""
    cursor = conn.execute(
        "INSERT INTO consent_withdrawals(case_id, consent_id, withdrawn_at, note, recorded_at)"
        " VALUES (?, ?, ?, ?, ?)",
        (
            case_id,
            withdrawal.consent_id,
            moment_text(withdrawal.withdrawn_at),
            withdrawal.note,
            moment_text(recorded_at),
        ),
    )
    return inserted_id(cursor)


def load_ledger(conn: Connection, case_id: int) -> ConsentLedger:
    """The case's consents and withdrawals, in recording order."""
    consents = tuple(
        ConsentRecord(
            purpose=row[1],
            scope=frozenset(json.loads(row[3])),
            form=row[4],
            given_at=parse_moment(row[5]),
            destination=row[2],
            id=row[0],
            corrects=row[6],
            note=row[7],
        )
        for row in conn.execute(
            "SELECT id, purpose, destination, scope, form, given_at, corrects, note"
            " FROM consents WHERE case_id = ? ORDER BY id",
            (case_id,),
        )
    )
    withdrawals = tuple(
        Withdrawal(row[1], parse_moment(row[2]), id=row[0], note=row[3])
        for row in conn.execute(
            "SELECT id, consent_id, withdrawn_at, note FROM consent_withdrawals"
            " WHERE case_id = ? ORDER BY id",
            (case_id,),
        )
    )
    return ConsentLedger(consents, withdrawals)


# -- procedures and steps ------------------------------------------------------------------


def insert_procedure(
    conn: Connection,
    case_id: int,
    opened_at: dt.datetime,
    ground: str | None,
    recorded_at: dt.datetime,
) -> int:
    """Stores the opening of a procedure; returns its id."""
    cursor = conn.execute(
        "INSERT INTO procedures(case_id, opened_at, ground, recorded_at) VALUES (?, ?, ?, ?)",
        (case_id, moment_text(opened_at), ground, moment_text(recorded_at)),
    )
    return inserted_id(cursor)


def step_data(step: Step) -> dict[str, Any]:
    """A step's own fields as JSON-ready values (scope keys as a sorted list)."""
    data: dict[str, Any] = {}
    for item in dataclasses.fields(step):
        if item.name in _BASE_FIELDS:
            continue
        value = getattr(step, item.name)
        data[item.name] = sorted(value) if isinstance(value, frozenset) else value
    return data


def step_from_row(kind: str, at: str, step_id: int, corrects: int | None, data: str) -> Step:
    """Rebuilds a step from its stored row."""
    fields = json.loads(data)
    if "shared" in fields:
        fields["shared"] = frozenset(fields["shared"])
    return STEP_TYPES[kind](at=parse_moment(at), id=step_id, corrects=corrects, **fields)


def insert_step(
    conn: Connection, procedure_id: int, case_id: int, step: Step, recorded_at: dt.datetime
) -> int:
    """Stores a step (already checked by the domain rules); returns its id."""
    cursor = conn.execute(
        "INSERT INTO procedure_steps(procedure_id, case_id, kind, at, corrects, data,"
        " recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            procedure_id,
            case_id,
            step.kind,
            moment_text(step.at),
            step.corrects,
            json.dumps(step_data(step), ensure_ascii=False, sort_keys=True),
            moment_text(recorded_at),
        ),
    )
    return inserted_id(cursor)


def load_procedure(conn: Connection, procedure_id: int) -> Procedure | None:
    """The procedure with all its steps in recording order, or None."""
    row = conn.execute(
        "SELECT id, case_id, opened_at, ground FROM procedures WHERE id = ?", (procedure_id,)
    ).fetchone()
    if row is None:
        return None
    steps = tuple(
        step_from_row(kind, at, step_id, corrects, data)
        for step_id, kind, at, corrects, data in conn.execute(
            "SELECT id, kind, at, corrects, data FROM procedure_steps"
            " WHERE procedure_id = ? ORDER BY id",
            (procedure_id,),
        )
    )
    return Procedure(parse_moment(row[2]), row[3], steps, id=row[0], case_id=row[1])


def existing_procedure(conn: Connection, procedure_id: int) -> Procedure:
    """The procedure with all its steps, for a procedure the adviser named.

    Raises:
        NotFound: no such procedure.
    """
    procedure = load_procedure(conn, procedure_id)
    if procedure is None:
        raise NotFound(_("There is no such protocol procedure."))
    return procedure


def procedure_ids(conn: Connection, case_id: int) -> list[int]:
    """The ids of the case's procedures, oldest first."""
    return [
        r[0]
        for r in conn.execute("SELECT id FROM procedures WHERE case_id = ? ORDER BY id", (case_id,))
    ]


def all_procedure_ids(conn: Connection) -> list[int]:
    """Every procedure's id in the vault, oldest first."""
    return [r[0] for r in conn.execute("SELECT id FROM procedures ORDER BY id")]


# -- information requests ------------------------------------------------------------------


def insert_request(
    conn: Connection, case_id: int, request: InformationRequest, recorded_at: dt.datetime
) -> int:
    """Stores an information request; returns its id."""
    cursor = conn.execute(
        "INSERT INTO information_requests(case_id, requester, requester_detail, subject,"
        " asked_at, recorded_at) VALUES (?, ?, ?, ?, ?, ?)",
        (
            case_id,
            request.requester,
            request.requester_detail or None,
            request.subject,
            moment_text(request.asked_at),
            moment_text(recorded_at),
        ),
    )
    return inserted_id(cursor)


def insert_answer(
    conn: Connection, case_id: int, answer: InformationAnswer, recorded_at: dt.datetime
) -> int:
    """Stores the answer to a request; returns its id."""
    cursor = conn.execute(
        "INSERT INTO information_answers(request_id, case_id, answer, answered_at, consent_id,"
        " note, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            answer.request_id,
            case_id,
            answer.answer,
            moment_text(answer.answered_at),
            answer.consent_id,
            answer.note or None,
            moment_text(recorded_at),
        ),
    )
    return inserted_id(cursor)


def load_request(conn: Connection, request_id: int) -> tuple[int, InformationRequest] | None:
    """(case id, request) for a request id, or None."""
    row = conn.execute(
        "SELECT id, case_id, requester, requester_detail, subject, asked_at"
        " FROM information_requests WHERE id = ?",
        (request_id,),
    ).fetchone()
    if row is None:
        return None
    request = InformationRequest(row[2], row[4], parse_moment(row[5]), row[3] or "", id=row[0])
    return int(row[1]), request


def load_requests(
    conn: Connection, case_id: int
) -> list[tuple[InformationRequest, InformationAnswer | None]]:
    """The case's requests with their answers (None while unanswered), oldest first."""
    found = []
    for row in conn.execute(
        "SELECT r.id, r.requester, r.requester_detail, r.subject, r.asked_at,"
        " a.id, a.answer, a.answered_at, a.consent_id, a.note"
        " FROM information_requests r LEFT JOIN information_answers a ON a.request_id = r.id"
        " WHERE r.case_id = ? ORDER BY r.id",
        (case_id,),
    ):
        request = InformationRequest(row[1], row[3], parse_moment(row[4]), row[2] or "", id=row[0])
        answer = None
        if row[5] is not None:
            answer = InformationAnswer(
                row[0], row[6], parse_moment(row[7]), row[8], row[9] or "", id=row[5]
            )
        found.append((request, answer))
    return found


# -- addenda, existence, destruction -------------------------------------------------------

_TARGET_TABLES = {
    "consent": "consents",
    "withdrawal": "consent_withdrawals",
    "information_request": "information_requests",
    "information_answer": "information_answers",
}


def ledger_entry_exists(conn: Connection, case_id: int, target: str, target_id: int) -> bool:
    """Whether a consent, withdrawal, request or answer with this id belongs to the case."""
    table = _TARGET_TABLES[target]
    row = conn.execute(
        f"SELECT 1 FROM {table} WHERE id = ? AND case_id = ?", (target_id, case_id)
    ).fetchone()
    return row is not None


def insert_ledger_addendum(
    conn: Connection, case_id: int, addendum: LedgerAddendum, recorded_at: dt.datetime
) -> int:
    """Stores an addendum to a ledger entry; returns its id."""
    cursor = conn.execute(
        "INSERT INTO ledger_addenda(case_id, target, target_id, at, text, recorded_at)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (
            case_id,
            addendum.target,
            addendum.target_id,
            moment_text(addendum.at),
            addendum.text,
            moment_text(recorded_at),
        ),
    )
    return inserted_id(cursor)


def load_ledger_addenda(conn: Connection, case_id: int) -> list[LedgerAddendum]:
    """The case's ledger addenda, oldest first."""
    return [
        LedgerAddendum(row[1], row[2], parse_moment(row[3]), row[4], id=row[0])
        for row in conn.execute(
            "SELECT id, target, target_id, at, text FROM ledger_addenda"
            " WHERE case_id = ? ORDER BY id",
            (case_id,),
        )
    ]


def case_exists(conn: Connection, case_id: int) -> bool:
    """Whether the case exists."""
    return conn.execute("SELECT 1 FROM cases WHERE id = ?", (case_id,)).fetchone() is not None


def delete_case_records(conn: Connection, case_id: int) -> None:
    """Removes every protocol record of one case: the documented append-only exception.

    Call it inside the transaction that destroys the whole case under the retention
    policy, before `DELETE FROM cases`; without it the append-only triggers refuse the
    cascade (`docs/protocol.md`). The comment in `0003_protocol.sql` still names its former
    caller, `services.protocol.destroy_case_records`: released migrations are never edited.

    The `destruction` marker row lets the delete triggers pass for this case only; it is
    inserted and removed inside the caller's (destroying) transaction, so no other
    transaction ever sees it.
    """
    conn.execute("INSERT INTO destruction(case_id) VALUES (?)", (case_id,))
    for table in _APPEND_ONLY_TABLES:
        conn.execute(f"DELETE FROM {table} WHERE case_id = ?", (case_id,))
    conn.execute("DELETE FROM destruction WHERE case_id = ?", (case_id,))
