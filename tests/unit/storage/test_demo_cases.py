"""The demo agrees with itself (issue 20): every demo case passes the rules an import applies,
each case's header facts agree with its consent ledger as the case file shows them, and the
demo has a case for each thing an adviser should be able to try."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

import pytest

from confidant_tui.domain.consent import IDENTITY_KEYS
from confidant_tui.errors import ValidationError
from confidant_tui.services import (
    cases,
    consent,
    deadlines,
    demo_data,
    importing,
    referrals,
    retention,
)
from confidant_tui.services.demo_data import DEMO_TODAY
from confidant_tui.settings import Settings
from confidant_tui.vault.store import Vault
from tests.conftest import ORGANISATION, TAXONOMY

DEMO_NOW = dt.datetime.combine(DEMO_TODAY, dt.time(12, 0))
REAL_TODAY = max(dt.date.today(), DEMO_TODAY + dt.timedelta(days=9))
"""The adviser's real today; on a computer whose clock lies before the day the demo was
tried for issue 20 (2 December 2026), that day."""


@pytest.fixture
def demo(vault: Vault) -> Vault:
    demo_data.load_demo_cases(
        vault, today=DEMO_TODAY, taxonomy=TAXONOMY, default_organisation=ORGANISATION
    )
    return vault


def alone(case: dict[str, Any]) -> dict[str, Any]:
    return {"format": "confidant-cases/1", "cases": [copy.deepcopy(case)]}


@pytest.mark.parametrize(
    "now",
    [
        dt.datetime.combine(DEMO_TODAY, dt.time(0, 0)),
        dt.datetime.combine(REAL_TODAY, dt.time(0, 0)),
    ],
)
def test_every_demo_case_passes_the_import_rules_on_its_own(now: dt.datetime) -> None:
    document = demo_data.demo_document()
    problems = []
    for case in document["cases"]:
        try:
            importing.validate_document(alone(case), now=now, taxonomy=TAXONOMY)
        except ValidationError as refused:
            problems.append(f"{case['code']}: {refused.message} {refused.problems}")
    assert not problems
    assert len(importing.validate_document(document, now=now, taxonomy=TAXONOMY)) == len(
        document["cases"]
    )


def test_the_import_check_of_this_test_refuses_a_broken_case() -> None:
    case = copy.deepcopy(demo_data.demo_document()["cases"][0])
    case["consents"][0]["date"] = "2099-01-01"
    with pytest.raises(ValidationError):
        importing.validate_document(alone(case), now=DEMO_NOW, taxonomy=TAXONOMY)


def header_ledger_problems(vault: Vault, code: str) -> list[str]:
    """Where a case's header (its facts) and its consent ledger tell different stories."""
    case = cases.get_case(vault, code)
    ledger = consent.consent_ledger(vault, code)
    problems = []
    recording = [c for c in ledger.effective() if c.purpose == "recording"]
    live = [c for c in recording if ledger.withdrawn_at(c.id) is None]
    given = case.facts.recording_consent
    if given is None and live:
        problems.append("header: no consent to record; ledger: recording consent given")
    if given is not None and not live:
        problems.append(f"header: consent to record on {given}; ledger: none given")
    if given is not None and live and given not in {c.given_at.date() for c in live}:
        problems.append(f"header: consent to record on {given}; ledger: on another day")
    if cases.identity_recorded(vault, code) and not any(c.scope >= IDENTITY_KEYS for c in live):
        problems.append("identity recorded without a recording consent that covers it")
    for record in ledger.consents:
        if not case.opened <= record.given_at.date() <= DEMO_TODAY:
            problems.append(f"consent {record.purpose} of {record.given_at} outside the case")
    return [f"{code}: {problem}" for problem in problems]


def test_every_demo_case_header_agrees_with_its_consent_ledger(demo: Vault) -> None:
    codes = [row.code for row in cases.list_cases(demo, None)]
    assert len(codes) == len(demo_data.demo_document()["cases"])
    problems = [problem for code in codes for problem in header_ledger_problems(demo, code)]
    assert not problems


def test_the_agreement_check_sees_a_header_without_its_consent(vault: Vault) -> None:
    document = demo_data.demo_document()
    [case] = [c for c in document["cases"] if c["code"] == "2026-002"]
    case["consents"] = [c for c in case["consents"] if c["purpose"] != "recording"]
    importing.import_document(
        vault, alone(case), now=DEMO_NOW, taxonomy=TAXONOMY, default_organisation=ORGANISATION
    )
    assert header_ledger_problems(vault, "2026-002") == [
        "2026-002: header: consent to record on 2026-08-25; ledger: none given"
    ]


def test_the_demo_has_a_case_for_each_thing_to_try(demo: Vault) -> None:
    rows = cases.list_cases(demo, None)
    # A recorded identity (hidden until the adviser asks).
    assert any(cases.identity_recorded(demo, row.code) for row in rows)
    # An overdue follow-up on the adviser's real today.
    due = deadlines.due_list(demo, today=REAL_TODAY, settings=Settings())
    assert any(i.deadline.kind == "follow_up" and i.state == "overdue" for i in due.items)
    # A referral with the consent its letter needs: a fact besides the question may go in.
    ready = []
    for row in rows:
        for referral in cases.get_case(demo, row.id).referrals:
            draft = referrals.referral_draft(
                demo,
                row.id,
                referral.destination,
                language="nl",
                now=DEMO_NOW,
                taxonomy=TAXONOMY,
            )
            if draft.allowed:
                ready.append((row.code, referral.destination, draft.allowed))
    assert ready, "no referral row has a consent a letter could rest on"
    # A closed case past its retention day.
    assert retention.due_cases(demo, today=DEMO_TODAY)
