"""The organisation's rules applied to routes: the same events, each organisation its warnings."""

from __future__ import annotations

import datetime as dt

import pytest

from confidant_tui.domain import case_rules
from confidant_tui.domain.cases import CaseFacts, Route
from confidant_tui.domain.organisation import OrganisationRules, Unit
from confidant_tui.domain.route_rules import (
    add_years,
    complaint_deadline,
    escalation_text,
    manner_duty,
    months_before,
    route_warnings,
)
from confidant_tui.services.cases import load_taxonomy

D = dt.date
OPENED = D(2026, 3, 14)
PARTY = OrganisationRules(complaint_period_years=3)
"""A party: three years, no anonymous complaints, anonymous meldingen allowed."""
MINISTRY = OrganisationRules(
    complaint_period_years=1,
    complaint_anonymous=True,
    complaint_written_only=False,
    melding_anonymous=False,
    melding_confidential=False,
    adviser_may_mediate=True,
)
"""A ministry model: one year, anonymous complaints, no anonymous or confidential melding."""


def facts(**changes: object) -> CaseFacts:
    values: dict[str, object] = {"reporter_role": "employee", "categories": ("bullying",)}
    values.update(changes)
    return CaseFacts(**values)  # type: ignore[arg-type]


def kinds(
    route: Route, rules: OrganisationRules, today: dt.date, **fact_changes: object
) -> list[str]:
    found = route_warnings(route, facts(**fact_changes), OPENED, rules, today)
    return [w.kind for w in found if not w.reminder]


COMPLAINT = Route("formal.complaint", OPENED)


def test_the_period_counts_from_the_last_incident_else_the_first_else_the_opening() -> None:
    assert complaint_deadline(facts(), OPENED, PARTY) == D(2029, 3, 14)
    assert complaint_deadline(facts(first_incident=D(2025, 1, 2)), OPENED, PARTY) == D(2028, 1, 2)
    both = facts(first_incident=D(2025, 1, 2), last_incident=D(2025, 6, 30))
    assert complaint_deadline(both, OPENED, PARTY) == D(2028, 6, 30)
    assert complaint_deadline(both, OPENED, MINISTRY) == D(2026, 6, 30)


@pytest.mark.parametrize(
    ("today", "party", "ministry"),
    [
        # the ministry's one year ends 30-06-2026: three months before is 30-03-2026
        (D(2026, 3, 29), [], []),
        (D(2026, 3, 30), [], ["period_ending"]),
        (D(2026, 6, 30), [], ["period_ending"]),
        (D(2026, 7, 1), [], ["period_passed"]),
        # the party's three years end 30-06-2028
        (D(2028, 3, 29), [], ["period_passed"]),
        (D(2028, 3, 30), ["period_ending"], ["period_passed"]),
        (D(2028, 6, 30), ["period_ending"], ["period_passed"]),
        (D(2028, 7, 1), ["period_passed"], ["period_passed"]),
    ],
)
def test_the_same_complaint_gets_each_organisations_period(
    today: dt.date, party: list[str], ministry: list[str]
) -> None:
    last = D(2025, 6, 30)
    assert kinds(COMPLAINT, PARTY, today, last_incident=last) == party
    assert kinds(COMPLAINT, MINISTRY, today, last_incident=last) == ministry


def test_the_warning_gives_the_end_date() -> None:
    found = route_warnings(
        COMPLAINT, facts(last_incident=D(2025, 6, 30)), OPENED, MINISTRY, D(2026, 5, 1)
    )
    assert any("2026-06-30" in w.text or "30-06-2026" in w.text for w in found)


def test_29_february() -> None:
    assert add_years(D(2024, 2, 29), 1) == D(2025, 2, 28)
    assert add_years(D(2024, 2, 29), 4) == D(2028, 2, 29)
    assert months_before(D(2025, 5, 31), 3) == D(2025, 2, 28)
    assert months_before(D(2028, 5, 31), 3) == D(2028, 2, 29)
    leap = {"last_incident": D(2024, 2, 29)}
    # the ministry's year ends 28-02-2025; three months before is 28-11-2024
    assert kinds(COMPLAINT, MINISTRY, D(2024, 11, 27), **leap) == []
    assert kinds(COMPLAINT, MINISTRY, D(2024, 11, 28), **leap) == ["period_ending"]
    assert kinds(COMPLAINT, MINISTRY, D(2025, 2, 28), **leap) == ["period_ending"]
    assert kinds(COMPLAINT, MINISTRY, D(2025, 3, 1), **leap) == ["period_passed"]


def test_a_filed_complaint_is_judged_on_its_filing_date() -> None:
    last = {"last_incident": D(2025, 6, 30)}
    in_time = Route("formal.complaint", OPENED, filed=D(2026, 6, 30))
    late = Route("formal.complaint", OPENED, filed=D(2026, 7, 1))
    assert kinds(in_time, MINISTRY, D(2026, 11, 1), **last) == []
    assert kinds(late, MINISTRY, D(2026, 11, 1), **last) == ["period_passed"]


def test_anonymous_complaint_and_written_reminder_follow_the_organisation() -> None:
    anonymous = Route("formal.complaint", OPENED, manner="anonymous")
    today = D(2026, 4, 1)
    assert kinds(anonymous, PARTY, today) == ["complaint_anonymous"]
    assert kinds(anonymous, MINISTRY, today) == []
    party = route_warnings(anonymous, facts(), OPENED, PARTY, today)
    assert [w.kind for w in party if w.reminder] == ["complaint_written"]
    ministry = route_warnings(anonymous, facts(), OPENED, MINISTRY, today)
    assert [w.kind for w in ministry if w.reminder] == []


@pytest.mark.parametrize("key", ["formal.integrity_report", "external.whistleblower_authority"])
def test_melding_manners_follow_the_organisation(key: str) -> None:
    today = D(2026, 4, 1)
    for manner, warning in (
        ("anonymous", "melding_anonymous"),
        ("confidential", "melding_confidential"),
    ):
        route = Route(key, OPENED, manner=manner)
        assert kinds(route, PARTY, today) == []
        assert kinds(route, MINISTRY, today) == [warning]
    assert kinds(Route(key, OPENED, manner="named"), MINISTRY, today) == []


def test_mediation_by_the_adviser() -> None:
    route = Route("informal.mediation", OPENED)
    assert kinds(route, PARTY, D(2026, 4, 1)) == ["mediation"]
    assert kinds(route, MINISTRY, D(2026, 4, 1)) == []


def test_other_routes_get_no_warning() -> None:
    assert route_warnings(Route("advice", OPENED), facts(), OPENED, PARTY, D(2040, 1, 1)) == []


def test_each_manner_says_what_to_keep_secret() -> None:
    duties = {manner_duty(m) for m in ("named", "confidential", "anonymous")}
    assert len(duties) == 3 and all(duties)
    assert manner_duty(None) == ""


def test_escalation_chain_as_labels() -> None:
    taxonomy = load_taxonomy()
    rules = OrganisationRules(units=(Unit("youth", "Youth wing"),), escalation=("local", "youth"))
    text = escalation_text(rules, taxonomy)
    assert text.startswith(taxonomy.label("level", "local"))
    assert text.endswith("youth")
    assert escalation_text(PARTY, taxonomy) == ""


def test_manner_outcome_and_measure_are_checked() -> None:
    taxonomy = load_taxonomy()
    today = D(2026, 11, 1)
    good = Route("formal.complaint", OPENED, manner="named", outcome="upheld", measure="warning")
    assert case_rules.route_problems(good, taxonomy, OPENED, today) == []
    wrong_route = Route("advice", OPENED, manner="named")
    assert [p for p, _ in case_rules.route_problems(wrong_route, taxonomy, OPENED, today)] == [
        "manner"
    ]
    unknown = Route("formal.complaint", OPENED, manner="secret", outcome="won", measure="own.x")
    paths = [p for p, _ in case_rules.route_problems(unknown, taxonomy, OPENED, today, "r")]
    assert paths == ["r.manner", "r.outcome", "r.measure"]


def test_case_outcome_and_experience_are_checked() -> None:
    taxonomy = load_taxonomy()
    today = D(2026, 11, 1)
    good = facts(outcome_key="resolved_informally", experience="mixed")
    assert case_rules.facts_problems(good, taxonomy, OPENED, today) == []
    bad = facts(outcome_key="happy", experience="great")
    paths = [p for p, _ in case_rules.facts_problems(bad, taxonomy, OPENED, today)]
    assert paths == ["outcome_key", "experience"]
