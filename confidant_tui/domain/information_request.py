"""Provides information requests from third parties and the adviser's answers.

The organisation grants the adviser an internal right of non-disclosure
(*verschoningsrecht*): managers, the board or a committee get no answers about what was
confided. Recording who asked what, when, and how the adviser answered shows afterwards
that the right was kept — or that an answer was given only with the reporter's consent,
which the answer then links. A request and its answer are separate, append-only records:
the answer often comes days later.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from confidant_tui.domain.consent import ConsentLedger
from confidant_tui.domain.protocol_time import is_future
from confidant_tui.errors import ValidationError
from confidant_tui.i18n import _

REQUESTERS = ("manager", "board", "committee", "police", "court", "other")
"""Who may ask (the right of non-disclosure does not hold against a court)."""

ANSWERS = ("declined", "referred_to_reporter", "answered_with_consent")

CONSENT_PURPOSES_FOR_ANSWERS = frozenset({"third_party", "identity"})


@dataclass(frozen=True)
class InformationRequest:
    """A third party asked the adviser about a case.

    Attributes:
        requester: one of `REQUESTERS`.
        subject: what was asked (the adviser's words).
        asked_at: when (a moment).
        requester_detail: which manager, committee or court (optional).
        id: the stored id (None before storing).
    """

    requester: str
    subject: str
    asked_at: dt.datetime
    requester_detail: str = ""
    id: int | None = None


@dataclass(frozen=True)
class InformationAnswer:
    """The adviser's answer to request `request_id`.

    Attributes:
        answer: one of `ANSWERS`.
        answered_at: when (a moment, not before the request).
        consent_id: the consent the answer rests on (only, and always, for
            `answered_with_consent`).
        note: what was said (optional).
    """

    request_id: int
    answer: str
    answered_at: dt.datetime
    consent_id: int | None = None
    note: str = ""
    id: int | None = None


def request_problems(request: InformationRequest, *, now: dt.datetime) -> list[tuple[str, str]]:
    """Checks a new information request; returns (field, message) pairs."""
    problems: list[tuple[str, str]] = []
    if request.requester not in REQUESTERS:
        problems.append(("requester", _("Say who asked: choose one of the listed requesters.")))
    if not request.subject.strip():
        problems.append(("subject", _("Record what was asked.")))
    if is_future(request.asked_at, now):
        problems.append(("asked_at", _("A request cannot be dated in the future.")))
    return problems


def answer_problems(
    answer: InformationAnswer,
    request: InformationRequest,
    ledger: ConsentLedger,
    *,
    already_answered: bool,
    now: dt.datetime,
) -> list[tuple[str, str]]:
    """Checks an answer against its request and the consent ledger.

    Args:
        answer: the answer to record.
        request: the request it answers.
        ledger: the case's consent ledger.
        already_answered: whether the request already has an answer.
        now: the current moment.
    """
    problems: list[tuple[str, str]] = []
    if already_answered:
        problems.append(
            ("answer", _("This request was already answered; add an addendum to correct it."))
        )
    if answer.answer not in ANSWERS:
        problems.append(("answer", _("Unknown answer to an information request.")))
    if answer.answered_at < request.asked_at:
        problems.append(("answered_at", _("A request cannot be answered before it was made.")))
    if is_future(answer.answered_at, now):
        problems.append(("answered_at", _("An answer cannot be dated in the future.")))
    if answer.answer == "answered_with_consent":
        problems.extend(_consent_problems(answer, ledger))
    elif answer.consent_id is not None:
        problems.append(("consent", _("Only an answer given with consent links a consent record.")))
    return problems


def _consent_problems(answer: InformationAnswer, ledger: ConsentLedger) -> list[tuple[str, str]]:
    if answer.consent_id is None:
        return [("consent", _("Link the consent record the answer rests on."))]
    consent = ledger.by_id(answer.consent_id)
    if consent is None:
        return [("consent", _("The linked consent does not exist in this case."))]
    if consent.purpose not in CONSENT_PURPOSES_FOR_ANSWERS:
        return [
            (
                "consent",
                _("Link a consent to share with a third party or to reveal the identity."),
            )
        ]
    active = ledger.active_at(answer.answered_at, consent.purpose)
    if consent.id not in {c.id for c in active}:
        return [
            (
                "consent",
                _("The linked consent was not in force when the answer was given."),
            )
        ]
    return []


def check_request(request: InformationRequest, *, now: dt.datetime) -> None:
    """Raises `ValidationError` when the request breaks a rule."""
    problems = request_problems(request, now=now)
    if problems:
        raise ValidationError(
            _("The information request cannot be recorded.")
            + " "
            + " ".join(m for _f, m in problems),
            problems,
        )


def check_answer(
    answer: InformationAnswer,
    request: InformationRequest,
    ledger: ConsentLedger,
    *,
    already_answered: bool,
    now: dt.datetime,
) -> None:
    """Raises `ValidationError` when the answer breaks a rule."""
    problems = answer_problems(answer, request, ledger, already_answered=already_answered, now=now)
    if problems:
        raise ValidationError(
            _("The answer cannot be recorded.") + " " + " ".join(m for _f, m in problems),
            problems,
        )
