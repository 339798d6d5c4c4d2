"""The rules of a case, one by one, with "today" injected."""

from __future__ import annotations

import datetime as dt
import tomllib

import pytest

from confidant_tui.domain import case_rules as rules
from confidant_tui.domain.cases import (
    Case,
    CaseFacts,
    Conversation,
    Identity,
    Intake,
    Person,
    Referral,
    Route,
    StatusChange,
    status_on,
)
from confidant_tui.domain.taxonomy import Taxonomy, Term, parse_taxonomy
from confidant_tui.errors import ValidationError
from confidant_tui.resources import data_file

TODAY = dt.date(2026, 11, 23)
OPENED = dt.date(2026, 3, 14)
D = dt.date


@pytest.fixture(scope="module")
def taxonomy() -> Taxonomy:
    document = tomllib.loads(data_file("taxonomy.toml").read_text(encoding="utf-8"))
    youth = Term("level", "youth_wing", {"nl": "Jongeren", "en": "Youth"})
    return parse_taxonomy(document).with_terms([youth])


def facts(**changes: object) -> CaseFacts:
    values: dict[str, object] = {"reporter_role": "employee", "categories": ("bullying",)}
    values.update(changes)
    return CaseFacts(**values)  # type: ignore[arg-type]


def paths(problems: list[tuple[str, str]]) -> list[str]:
    return [path for path, _ in problems]


def test_valid_facts_have_no_problems(taxonomy: Taxonomy) -> None:
    full = facts(
        categories=("discrimination.origin", "sexual_harassment"),
        relation="manager",
        power_imbalance=True,
        level="youth_wing",
        first_incident=D(2026, 1, 1),
        last_incident=OPENED,
        confidentiality_explained=OPENED,
        recording_consent=D(2026, 3, 20),
        people=(Person("accused", "B.", "manager"), Person("witness", "C.")),
    )
    assert rules.facts_problems(full, taxonomy, OPENED, TODAY) == []


def test_missing_required_facts_are_named(taxonomy: Taxonomy) -> None:
    problems = rules.facts_problems(facts(reporter_role="", categories=()), taxonomy, OPENED, TODAY)
    assert paths(problems) == ["reporter.role", "categories"]
    assert "ontbreekt" in problems[0][1]


@pytest.mark.parametrize(
    ("changes", "path"),
    [
        ({"reporter_role": "boss"}, "reporter.role"),
        ({"categories": ("bullying", "gossip")}, "categories[1]"),
        ({"categories": ("bullying.verbal",)}, "categories[0]"),
        ({"relation": "neighbour"}, "relation"),
        ({"level": "moon_base"}, "level"),
        ({"people": (Person("suspect"),)}, "people[0].role"),
        ({"people": (Person("accused", relation="friend"),)}, "people[0].relation"),
    ],
)
def test_unknown_keys_are_refused(taxonomy: Taxonomy, changes: dict, path: str) -> None:
    problems = rules.facts_problems(facts(**changes), taxonomy, OPENED, TODAY)
    assert paths(problems) == [path]
    assert "geen bekende waarde" in problems[0][1]


def test_a_category_given_twice_is_refused(taxonomy: Taxonomy) -> None:
    problems = rules.facts_problems(
        facts(categories=("bullying", "bullying")), taxonomy, OPENED, TODAY
    )
    assert paths(problems) == ["categories[1]"]


def test_only_the_accused_has_a_relation(taxonomy: Taxonomy) -> None:
    problems = rules.facts_problems(
        facts(people=(Person("witness", "C.", "colleague"),)), taxonomy, OPENED, TODAY
    )
    assert paths(problems) == ["people[0].relation"]


def test_incidents_in_the_future_or_after_opening_are_impossible(taxonomy: Taxonomy) -> None:
    future = rules.facts_problems(facts(first_incident=D(2026, 12, 1)), taxonomy, OPENED, TODAY)
    assert paths(future) == ["first_incident"] and "toekomst" in future[0][1]
    after = rules.facts_problems(facts(last_incident=D(2026, 3, 15)), taxonomy, OPENED, TODAY)
    assert paths(after) == ["last_incident"] and "na de opening" in after[0][1]
    order = rules.facts_problems(
        facts(first_incident=D(2026, 2, 1), last_incident=D(2026, 1, 1)), taxonomy, OPENED, TODAY
    )
    assert paths(order) == ["last_incident"]


def test_explanation_and_consent_dates_lie_between_opening_and_today(taxonomy: Taxonomy) -> None:
    problems = rules.facts_problems(
        facts(confidentiality_explained=D(2026, 3, 1), recording_consent=D(2026, 11, 24)),
        taxonomy,
        OPENED,
        TODAY,
    )
    assert paths(problems) == ["confidentiality_explained", "recording_consent"]


def test_texts_must_fit_and_be_storable(taxonomy: Taxonomy) -> None:
    too_long = "x" * (rules.MAX_SHORT + 1)
    problems = rules.facts_problems(
        facts(reporter_alias=too_long, wishes="ok \ud800 surrogate", organisation="  "),
        taxonomy,
        OPENED,
        TODAY,
    )
    assert sorted(paths(problems)) == ["organisation", "reporter.alias", "wishes"]


def test_an_opening_in_the_future_and_a_bad_code_are_refused(taxonomy: Taxonomy) -> None:
    intake = Intake(D(2026, 11, 24), facts(), code="2026-1")
    assert paths(rules.intake_problems(intake, taxonomy, TODAY)) == ["opened", "code"]
    wrong_year = Intake(OPENED, facts(), code="2025-003")
    problems = rules.intake_problems(wrong_year, taxonomy, TODAY, "cases[2]")
    assert paths(problems) == ["cases[2].code"]
    for kept in ("2026-042", "2026-1234", "2026-999999"):
        assert rules.intake_problems(Intake(OPENED, facts(), code=kept), taxonomy, TODAY) == []
    assert paths(
        rules.intake_problems(Intake(OPENED, facts(), code="2026-000"), taxonomy, TODAY)
    ) == ["code"]


@pytest.mark.parametrize(
    "code",
    [
        "٢٠٢٦-٠٠٧",  # Arabic-Indic digits: int() reads them as 2026 and 7
        "2026-٠٠٧",
        "２０２６-００７",  # fullwidth digits
        "2026-007\n",  # a trailing line break
        "2026-0007",  # the same number as 2026-007: the two would collide
        "2026-0042",
        "2026-1234567",
    ],
)
def test_a_code_is_ascii_digits_written_one_way(taxonomy: Taxonomy, code: str) -> None:
    problems = rules.intake_problems(Intake(OPENED, facts(), code=code), taxonomy, TODAY)
    assert paths(problems) == ["code"]


def test_a_date_equal_to_today_is_not_in_the_future() -> None:
    assert rules.past_problems(TODAY, "opened", TODAY) == []
    assert paths(rules.past_problems(TODAY + dt.timedelta(days=1), "opened", TODAY)) == ["opened"]
    assert rules.event_problems(TODAY, "date", OPENED, TODAY) == []


def test_identity_must_fit() -> None:
    problems = rules.identity_problems(Identity("n" * 201, "c" * 2001))
    assert paths(problems) == ["reporter.name", "reporter.contact"]


def test_status_history_rules() -> None:
    ok = (StatusChange("aftercare", D(2026, 5, 1)), StatusChange("closed", D(2026, 5, 1)))
    assert rules.status_problems(ok, OPENED, TODAY) == []
    closing_before_opening = (StatusChange("closed", D(2026, 3, 1)),)
    problems = rules.status_problems(closing_before_opening, OPENED, TODAY)
    assert paths(problems) == ["status[0].date"]
    assert "vóór de opening" in problems[0][1]
    assert paths(
        rules.status_problems((StatusChange("closed", D(2026, 12, 1)),), OPENED, TODAY)
    ) == ["status[0].date"]
    out_of_order = (StatusChange("closed", D(2026, 6, 1)), StatusChange("open", D(2026, 5, 1)))
    assert paths(rules.status_problems(out_of_order, OPENED, TODAY)) == ["status[1].date"]
    same = (StatusChange("open", D(2026, 4, 1)),)
    assert paths(rules.status_problems(same, OPENED, TODAY)) == ["status[0].status"]
    unknown = (StatusChange("paused", D(2026, 4, 1)),)
    assert paths(rules.status_problems(unknown, OPENED, TODAY)) == ["status[0].status"]


def test_status_on_answers_open_at_the_end_of_a_year() -> None:
    history = (StatusChange("aftercare", D(2026, 6, 1)), StatusChange("closed", D(2027, 1, 10)))
    assert status_on(OPENED, history, D(2025, 12, 31)) is None
    assert status_on(OPENED, history, D(2026, 3, 14)) == "open"
    assert status_on(OPENED, history, D(2026, 12, 31)) == "aftercare"
    assert status_on(OPENED, history, D(2027, 1, 10)) == "closed"
    case = Case(1, "2026-001", OPENED, 1, facts(), history)
    assert case.status == "closed"


def test_main_relation_falls_back_to_the_first_accused() -> None:
    people = (Person("witness", "W."), Person("accused", "B.", "colleague"))
    assert Case(1, "2026-001", OPENED, 1, facts(people=people)).main_relation == "colleague"
    assert (
        Case(1, "x", OPENED, 1, facts(relation="manager", people=people)).main_relation == "manager"
    )
    assert Case(1, "x", OPENED, 1, facts()).main_relation is None


def test_conversation_rules(taxonomy: Taxonomy) -> None:
    good = Conversation(OPENED, dt.time(10, 30), 60, "phone", "n", follow_up=D(2027, 1, 1))
    assert rules.conversation_problems(good, taxonomy, OPENED, TODAY) == []
    bad = Conversation(D(2026, 3, 1), None, 1441, "telepathy", follow_up=D(2026, 2, 1))
    assert paths(rules.conversation_problems(bad, taxonomy, OPENED, TODAY)) == [
        "date",
        "minutes",
        "mode",
        "follow_up",
    ]
    future = Conversation(D(2026, 11, 24))
    assert paths(rules.conversation_problems(future, taxonomy, OPENED, TODAY, "c[0]")) == [
        "c[0].date"
    ]


def test_a_conversation_lasts_from_0_to_1440_minutes(taxonomy: Taxonomy) -> None:
    for minutes in (0, 1440):
        conversation = Conversation(OPENED, None, minutes)
        assert rules.conversation_problems(conversation, taxonomy, OPENED, TODAY) == []
    for minutes in (-1, 1441):
        conversation = Conversation(OPENED, None, minutes)
        assert paths(rules.conversation_problems(conversation, taxonomy, OPENED, TODAY)) == [
            "minutes"
        ]


def test_route_rules(taxonomy: Taxonomy) -> None:
    good = Route(
        "formal.integrity_report", D(2026, 4, 1), D(2026, 4, 1), D(2026, 4, 5), D(2026, 7, 1)
    )
    assert rules.route_problems(good, taxonomy, OPENED, TODAY) == []
    assert paths(rules.route_problems(Route("formal", D(2026, 4, 1)), taxonomy, OPENED, TODAY)) == [
        "route"
    ]
    before = Route("advice", D(2026, 4, 1), filed=D(2026, 3, 30))
    assert paths(rules.route_problems(before, taxonomy, OPENED, TODAY)) == ["filed"]
    ack_before_filing = Route(
        "advice", D(2026, 4, 1), filed=D(2026, 4, 10), acknowledged=D(2026, 4, 5)
    )
    assert paths(rules.route_problems(ack_before_filing, taxonomy, OPENED, TODAY)) == [
        "acknowledged"
    ]
    ends_early = Route("advice", D(2026, 4, 1), feedback=D(2026, 6, 1), ended=D(2026, 5, 1))
    assert paths(rules.route_problems(ends_early, taxonomy, OPENED, TODAY)) == ["ended"]
    future = Route("advice", D(2026, 4, 1), feedback=D(2026, 12, 1))
    assert paths(rules.route_problems(future, taxonomy, OPENED, TODAY)) == ["feedback"]
    assert paths(rules.route_problems(Route("advice", D(2026, 3, 1)), taxonomy, OPENED, TODAY)) == [
        "date"
    ]


def test_referral_rules(taxonomy: Taxonomy) -> None:
    assert rules.referral_problems(Referral("gp", OPENED, "kort"), taxonomy, OPENED, TODAY) == []
    bad = Referral("witch_doctor", D(2026, 12, 1))
    assert paths(rules.referral_problems(bad, taxonomy, OPENED, TODAY)) == ["to", "date"]
    assert paths(rules.referral_problems(Referral("", OPENED), taxonomy, OPENED, TODAY)) == ["to"]


def test_raise_if_any_summarises_for_the_adviser() -> None:
    rules.raise_if_any([])
    with pytest.raises(ValidationError) as caught:
        rules.raise_if_any([("opened", "A."), ("code", "B.")])
    assert caught.value.problems == [("opened", "A."), ("code", "B.")]
    assert caught.value.message.startswith("Niet opgeslagen: 2 problemen")


def test_values_shown_in_messages_cannot_carry_escape_sequences() -> None:
    assert rules.shown("\x1b]52;c;aGk=\x07evil") == "␛]52;c;aGk=␇evil"
    assert rules.shown("\u202eabc") == "\ufffdabc"
    assert rules.shown("a\ud800b") == "a\ufffdb"
    rules.shown("a\ud800b").encode("utf-8")  # a lone surrogate would break printing
    assert len(rules.shown("x" * 500)) == 40
