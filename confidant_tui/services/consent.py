"""Provides the consent ledger use cases: record, withdraw, ask what holds; information requests.

Each write is one transaction, checked against the domain rules (`domain.consent`,
`domain.information_request`) on the ledger as stored, and append-only: corrections are
new records (a correcting consent, or an addendum). `now` is a required argument everywhere
(the caller's clock, kept to the minute): nothing here reads the system clock.
"""

from __future__ import annotations

import datetime as dt

from confidant_tui.domain.consent import (
    ConsentLedger,
    ConsentRecord,
    LedgerAddendum,
    Withdrawal,
    addendum_problems,
    check_consent,
    check_withdrawal,
)
from confidant_tui.domain.information_request import (
    InformationAnswer,
    InformationRequest,
    check_answer,
    check_request,
)
from confidant_tui.domain.protocol_time import to_minute
from confidant_tui.errors import NotFound, ValidationError
from confidant_tui.i18n import _
from confidant_tui.services import audit_acts
from confidant_tui.services.cases import CaseRef
from confidant_tui.vault import cases_query, cases_repo, protocol_repo
from confidant_tui.vault.store import Connection, Vault


def record_consent(vault: Vault, case: CaseRef, record: ConsentRecord, *, now: dt.datetime) -> int:
    """Records a consent (or a correction of one, via `record.corrects`).

    Args:
        vault: the open vault.
        case: the case's id or code.
        record: the consent as the reporter gave it.
        now: the current moment (the caller's clock; kept to the minute).

    Returns:
        The new consent's id.

    Raises:
        NotFound: no such case. ValidationError: the consent breaks a rule.
    """
    moment = to_minute(now)
    with vault.transaction() as conn:
        case_id = cases_query.resolve_case(conn, case)
        check_consent(record, protocol_repo.load_ledger(conn, case_id), now=moment)
        consent_id = protocol_repo.insert_consent(conn, case_id, record, moment)
        _audit(vault, conn, "consent.recorded", case_id, now, detail=record.purpose)
        return consent_id


def withdraw_consent(
    vault: Vault,
    case: CaseRef,
    consent_id: int,
    withdrawn_at: dt.datetime,
    *,
    note: str | None = None,
    now: dt.datetime,
) -> int:
    """Records that the reporter withdrew a consent (a separate record); returns its id.

    Raises:
        NotFound: no such case. ValidationError: unknown, already withdrawn, before it
            was given, or in the future.
    """
    moment = to_minute(now)
    withdrawal = Withdrawal(consent_id, withdrawn_at, note=note)
    with vault.transaction() as conn:
        case_id = cases_query.resolve_case(conn, case)
        check_withdrawal(withdrawal, protocol_repo.load_ledger(conn, case_id), now=moment)
        withdrawal_id = protocol_repo.insert_withdrawal(conn, case_id, withdrawal, moment)
        _audit(vault, conn, "consent.withdrawn", case_id, now)
        return withdrawal_id


def consent_ledger(vault: Vault, case: CaseRef) -> ConsentLedger:
    """Every consent and withdrawal of the case, in recording order."""
    with vault.reading() as conn:
        return protocol_repo.load_ledger(conn, cases_query.resolve_case(conn, case))


def consented_now(
    vault: Vault,
    case: CaseRef,
    purpose: str,
    destination: str | None = None,
    *,
    now: dt.datetime,
) -> frozenset[str]:
    """The scope keys the reporter consents to now, for this purpose (and destination)."""
    return consent_ledger(vault, case).consented_now(purpose, destination, now=to_minute(now))


def consented_at(
    vault: Vault,
    case: CaseRef,
    moment: dt.datetime,
    purpose: str,
    destination: str | None = None,
) -> frozenset[str]:
    """The scope keys the reporter had consented to at `moment`."""
    return consent_ledger(vault, case).consented_at(moment, purpose, destination)


def add_ledger_addendum(
    vault: Vault, case: CaseRef, addendum: LedgerAddendum, *, now: dt.datetime
) -> int:
    """Adds a note correcting a consent, withdrawal, request or answer; returns its id.

    Raises:
        NotFound: no such case. ValidationError: empty, in the future, or pointing to no
            entry of this case.
    """
    moment = to_minute(now)
    with vault.transaction() as conn:
        case_id = cases_query.resolve_case(conn, case)
        problems = addendum_problems(addendum, now=moment)
        if not problems and not protocol_repo.ledger_entry_exists(
            conn, case_id, addendum.target, addendum.target_id
        ):
            problems.append(("target", _("The entry to correct does not exist in this case.")))
        if problems:
            raise ValidationError(
                _("The addendum cannot be recorded.") + " " + " ".join(m for _f, m in problems),
                problems,
            )
        addendum_id = protocol_repo.insert_ledger_addendum(conn, case_id, addendum, moment)
        _audit(vault, conn, "ledger.addendum", case_id, now)
        return addendum_id


def ledger_addenda(vault: Vault, case: CaseRef) -> list[LedgerAddendum]:
    """The addenda to the case's consents, withdrawals, requests and answers."""
    with vault.reading() as conn:
        return protocol_repo.load_ledger_addenda(conn, cases_query.resolve_case(conn, case))


# -- the statistics opt-out ----------------------------------------------------------------
#
# Statistics are opt-out (`ConsentLedger.counted_in_statistics`): a case counts in the yearly
# report unless every `statistics` consent it has was withdrawn. The opt-out of its own is
# written in those same ledger terms, so the report's rule (`vault.stats_repo`, which reads
# the ledger) needs nothing new: opting out withdraws the statistics consents in force (and,
# when none was ever recorded, first records the default one the case had from its opening);
# opting back in records a new statistics consent.


def counted_in_statistics(vault: Vault, case: CaseRef, *, now: dt.datetime) -> bool:
    """Whether the case counts in the yearly report (not opted out)."""
    return consent_ledger(vault, case).counted_in_statistics(to_minute(now))


def opt_out_of_statistics(
    vault: Vault, case: CaseRef, *, at: dt.datetime | None = None, now: dt.datetime
) -> list[int]:
    """Records that the reporter does not want the case counted in the yearly report.

    Args:
        vault: the open vault.
        case: the case's id or code.
        at: when the reporter said so (default: `now`).
        now: the current moment.

    Returns:
        The ids of the withdrawals recorded.

    Raises:
        NotFound: no such case. ValidationError: already left out, or `at` in the future
            or before a statistics consent was given.
    """
    moment = to_minute(now)
    when = to_minute(at) if at is not None else moment
    with vault.transaction() as conn:
        case_id = cases_query.resolve_case(conn, case)
        ledger = protocol_repo.load_ledger(conn, case_id)
        if not ledger.counted_in_statistics(moment):
            raise ValidationError(
                _("This case is already left out of the yearly report."),
                [("statistics", _("This case is already left out of the yearly report."))],
            )
        if not ledger.matching("statistics"):
            opened = cases_repo.opened_and_reporter(conn, case_id)[0]
            since = min(dt.datetime.combine(opened, dt.time()), when)
            default = ConsentRecord("statistics", frozenset(), "oral", since)
            check_consent(default, ledger, now=moment)
            protocol_repo.insert_consent(conn, case_id, default, moment)
            ledger = protocol_repo.load_ledger(conn, case_id)
        withdrawn = []
        for consent in ledger.matching("statistics"):
            if consent.id is None or ledger.withdrawn_at(consent.id) is not None:
                continue
            withdrawal = Withdrawal(consent.id, when)
            check_withdrawal(withdrawal, ledger, now=moment)
            withdrawn.append(protocol_repo.insert_withdrawal(conn, case_id, withdrawal, moment))
        _audit(vault, conn, "statistics.opted_out", case_id, now)
        return withdrawn


def opt_in_to_statistics(
    vault: Vault, case: CaseRef, *, at: dt.datetime | None = None, now: dt.datetime
) -> int:
    """Records that the case counts in the yearly report again (a new statistics consent).

    Returns:
        The new consent's id.

    Raises:
        NotFound: no such case. ValidationError: the case counts already, or `at` lies in
            the future.
    """
    moment = to_minute(now)
    when = to_minute(at) if at is not None else moment
    with vault.transaction() as conn:
        case_id = cases_query.resolve_case(conn, case)
        ledger = protocol_repo.load_ledger(conn, case_id)
        if ledger.counted_in_statistics(moment):
            raise ValidationError(
                _("This case already counts in the yearly report."),
                [("statistics", _("This case already counts in the yearly report."))],
            )
        record = ConsentRecord("statistics", frozenset(), "oral", when)
        check_consent(record, ledger, now=moment)
        consent_id = protocol_repo.insert_consent(conn, case_id, record, moment)
        _audit(vault, conn, "statistics.opted_in", case_id, now)
        return consent_id


# -- information requests (verschoningsrecht) ----------------------------------------------


def record_information_request(
    vault: Vault,
    case: CaseRef,
    request: InformationRequest,
    answer: InformationAnswer | None = None,
    *,
    now: dt.datetime,
) -> int:
    """Records who asked what about a case, and when; with the answer if already given.

    Args:
        vault: the open vault.
        case: the case's id or code.
        request: the request.
        answer: the answer, when given at once (its `request_id` is ignored).
        now: the current moment.

    Returns:
        The request's id.
    """
    moment = to_minute(now)
    with vault.transaction() as conn:
        case_id = cases_query.resolve_case(conn, case)
        check_request(request, now=moment)
        request_id = protocol_repo.insert_request(conn, case_id, request, moment)
        _audit(vault, conn, "information_request.recorded", case_id, now)
        if answer is not None:
            _store_answer(conn, case_id, request_id, request, answer, moment, answered=False)
            _audit(vault, conn, "information_request.answered", case_id, now)
        return request_id


def answer_information_request(
    vault: Vault, request_id: int, answer: InformationAnswer, *, now: dt.datetime
) -> int:
    """Records the adviser's answer to an earlier request; returns the answer's id.

    Raises:
        NotFound: no such request. ValidationError: the answer breaks a rule (already
            answered, before the request, without its consent, ...).
    """
    moment = to_minute(now)
    with vault.transaction() as conn:
        found = protocol_repo.load_request(conn, request_id)
        if found is None:
            raise NotFound(_("There is no such information request."))
        case_id, request = found
        answered = any(
            r.id == request_id and a is not None
            for r, a in protocol_repo.load_requests(conn, case_id)
        )
        answer_id = _store_answer(
            conn, case_id, request_id, request, answer, moment, answered=answered
        )
        _audit(vault, conn, "information_request.answered", case_id, now)
        return answer_id


def _audit(
    vault: Vault,
    conn: Connection,
    action: str,
    case_id: int,
    now: dt.datetime,
    *,
    detail: str | None = None,
) -> None:
    """Appends the act's audit entry (the case's code, no content) in its transaction."""
    code = cases_query.case_code(conn, case_id)
    audit_acts.append(vault, conn, action, case_code=code, detail=detail, at=now)


def _store_answer(
    conn: Connection,
    case_id: int,
    request_id: int,
    request: InformationRequest,
    answer: InformationAnswer,
    moment: dt.datetime,
    *,
    answered: bool,
) -> int:
    """Checks `answer` against the request and the stored ledger and stores it, pointing at
    `request_id` (whatever request id it carried); returns its id."""
    answer = InformationAnswer(
        request_id, answer.answer, answer.answered_at, answer.consent_id, answer.note
    )
    ledger = protocol_repo.load_ledger(conn, case_id)
    check_answer(answer, request, ledger, already_answered=answered, now=moment)
    return protocol_repo.insert_answer(conn, case_id, answer, moment)


def information_requests(
    vault: Vault, case: CaseRef
) -> list[tuple[InformationRequest, InformationAnswer | None]]:
    """The case's information requests with their answers (None while unanswered)."""
    with vault.reading() as conn:
        return protocol_repo.load_requests(conn, cases_query.resolve_case(conn, case))
