"""Information requests from third parties (verschoningsrecht) and the adviser's answers."""

from __future__ import annotations

import datetime as dt

import pytest

from confidant_tui.domain.consent import ConsentLedger, ConsentRecord, Withdrawal
from confidant_tui.domain.information_request import (
    InformationAnswer,
    InformationRequest,
    answer_problems,
    check_answer,
    check_request,
    request_problems,
)
from confidant_tui.errors import ValidationError

NOW = dt.datetime(2025, 6, 1, 12, 0)
ASKED = dt.datetime(2025, 5, 10, 9, 0)
REQUEST = InformationRequest("manager", "Wat speelt er rond team X?", ASKED, id=1)
LEDGER = ConsentLedger(
    (
        ConsentRecord(
            "third_party", frozenset({"summary"}), "written", dt.datetime(2025, 5, 9), id=1
        ),
        ConsentRecord(
            "referral", frozenset({"role"}), "oral", dt.datetime(2025, 5, 9), destination="gp", id=2
        ),
        ConsentRecord("identity", frozenset({"name"}), "oral", dt.datetime(2025, 5, 9), id=3),
    ),
    (Withdrawal(3, dt.datetime(2025, 5, 10, 8, 0)),),
)


def answer(
    kind: str, consent_id: int | None = None, when: dt.datetime = ASKED
) -> InformationAnswer:
    return InformationAnswer(1, kind, when, consent_id=consent_id)


def test_a_request_and_each_kind_of_answer_pass() -> None:
    check_request(REQUEST, now=NOW)
    for kind in ("declined", "referred_to_reporter"):
        check_answer(answer(kind), REQUEST, LEDGER, already_answered=False, now=NOW)
    check_answer(
        answer("answered_with_consent", 1), REQUEST, LEDGER, already_answered=False, now=NOW
    )


@pytest.mark.parametrize(
    ("request_", "field"),
    [
        (InformationRequest("neighbour", "x", ASKED), "requester"),
        (InformationRequest("court", "  ", ASKED), "subject"),
        (InformationRequest("court", "x", NOW + dt.timedelta(minutes=1)), "asked_at"),
    ],
)
def test_request_rules(request_: InformationRequest, field: str) -> None:
    assert [f for f, _m in request_problems(request_, now=NOW)] == [field]
    with pytest.raises(ValidationError):
        check_request(request_, now=NOW)


@pytest.mark.parametrize(
    ("given", "message"),
    [
        (answer("shrugged"), "Onbekend antwoord op een verzoek om informatie."),
        (
            answer("declined", when=ASKED - dt.timedelta(minutes=1)),
            "Een verzoek kan niet worden beantwoord voordat het is gedaan.",
        ),
        (
            answer("declined", when=NOW + dt.timedelta(minutes=1)),
            "Een antwoord kan niet in de toekomst liggen.",
        ),
        (answer("answered_with_consent"), "Koppel de toestemming waarop het antwoord berust."),
        (
            answer("answered_with_consent", 9),
            "De gekoppelde toestemming bestaat niet in dit dossier.",
        ),
        (
            answer("answered_with_consent", 2),
            "Koppel een toestemming om met een derde te delen of om de identiteit bekend te maken.",
        ),
        (
            answer("answered_with_consent", 3),
            "De gekoppelde toestemming gold niet op het moment van het antwoord.",
        ),
        (
            answer("declined", 1),
            "Alleen een antwoord met toestemming wordt aan een toestemming gekoppeld.",
        ),
    ],
)
def test_answer_rules(given: InformationAnswer, message: str) -> None:
    problems = answer_problems(given, REQUEST, LEDGER, already_answered=False, now=NOW)
    assert [m for _f, m in problems] == [message]
    with pytest.raises(ValidationError):
        check_answer(given, REQUEST, LEDGER, already_answered=False, now=NOW)


def test_a_request_is_answered_once() -> None:
    problems = answer_problems(answer("declined"), REQUEST, LEDGER, already_answered=True, now=NOW)
    assert problems == [
        (
            "answer",
            "Dit verzoek is al beantwoord; voeg een aanvulling toe om het antwoord te corrigeren.",
        )
    ]
