"""The deadline engine's rules at their edges: the day before, on and after each term, month
ends and leap years for "3 months", an extension, marks and a snooze that ends."""

from __future__ import annotations

import datetime as dt

import pytest

from confidant_tui import i18n
from confidant_tui.domain.deadlines import (
    CaseTerms,
    Deadline,
    DeadlineFacts,
    DueItem,
    Mark,
    ProcedureTerms,
    ReportTerms,
    RouteTerms,
    assess,
    deadlines,
    describe,
    listed,
    state_of,
    timing,
)
from confidant_tui.domain.retention import retention_day, retention_for

D = dt.date
INTEGRITY = "formal.integrity_report"
WHISTLEBLOWER = "external.whistleblower_authority"
TODAY = D(2026, 12, 2)


def case(**values: object) -> CaseTerms:
    base: dict[str, object] = {
        "case_id": 1,
        "code": "2026-001",
        "status": "open",
        "opened": D(2026, 1, 5),
        "organisation_id": 1,
        "complaint_filed": True,
    }
    base.update(values)
    return CaseTerms(**base)  # type: ignore[arg-type]


def items_on(facts: DeadlineFacts, today: dt.date, marks: tuple[Mark, ...] = ()) -> list[DueItem]:
    found = deadlines(facts, today=today, until=today + dt.timedelta(days=30))
    return [i for i in assess(found, marks, today=today) if i.deadline.kind != "backup"]


def only(facts: DeadlineFacts, kind: str, today: dt.date = TODAY) -> Deadline:
    found = [d for d in deadlines(facts, today=today, until=today) if d.kind == kind]
    assert len(found) == 1, found
    return found[0]


def kinds(facts: DeadlineFacts, today: dt.date = TODAY) -> set[str]:
    return {d.kind for d in deadlines(facts, today=today, until=today)} - {"backup"}


@pytest.mark.parametrize(
    ("today", "state"),
    [
        (D(2026, 11, 25), "upcoming"),  # seven days ahead: next week
        (D(2026, 11, 26), "due"),  # six days ahead: this week
        (D(2026, 12, 1), "due"),  # the day before
        (D(2026, 12, 2), "due"),  # the day itself
        (D(2026, 12, 3), "overdue"),  # the day after
    ],
)
def test_a_follow_up_is_due_this_week_on_its_day_and_overdue_after(
    today: dt.date, state: str
) -> None:
    facts = DeadlineFacts(cases=[case(follow_up=D(2026, 12, 2), follow_up_conversation=9)])
    [item] = items_on(facts, today)
    assert (item.deadline.kind, item.deadline.subject, item.state) == (
        "follow_up",
        "conversation:9",
        state,
    )
    assert item.deadline.target == "conv-9"


def test_closing_a_case_ends_its_follow_ups_and_keeps_its_retention_day() -> None:
    facts = DeadlineFacts(
        cases=[
            case(
                status="closed",
                follow_up=D(2026, 11, 1),
                follow_up_conversation=3,
                confidentiality_explained=False,
                complaint_filed=False,
                retention_due=D(2026, 12, 2),
                closed_on=D(2024, 12, 2),
            )
        ],
        complaint_years={1: 3},
    )
    assert kinds(facts) == {"retention"}
    assert only(facts, "retention").due == D(2026, 12, 2)
    assert describe(only(facts, "retention")) == "Te vernietigen (gesloten 2 december 2024)"


@pytest.mark.parametrize("closed", [D(2024, 2, 29), D(2024, 12, 31), D(2025, 6, 15)])
@pytest.mark.parametrize("published", [None, D(2024, 1, 1), D(2025, 3, 1), D(2030, 1, 1)])
@pytest.mark.parametrize("postponed", [None, D(2025, 1, 1), D(2031, 1, 1)])
def test_the_retention_day_without_words_is_the_retention_rules_day(
    closed: dt.date, published: dt.date | None, postponed: dt.date | None
) -> None:
    options = {
        "retention_years": 2,
        "report_published_on": published,
        "postponed_until": postponed,
    }
    assert retention_day(closed, **options) == retention_for(closed, **options).due_on  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("made", "acknowledgement"),
    [(D(2026, 11, 23), D(2026, 11, 30)), (D(2028, 2, 25), D(2028, 3, 3))],
)
def test_a_report_is_acknowledged_within_seven_days(
    made: dt.date, acknowledgement: dt.date
) -> None:
    route = RouteTerms(7, 1, INTEGRITY, D(2026, 1, 1), filed=made)
    facts = DeadlineFacts(cases=[case()], routes=[route])
    deadline = only(facts, "report_acknowledgement")
    assert deadline.due == acknowledgement and deadline.counts_from == made
    assert state_of(deadline, None, acknowledgement - dt.timedelta(days=1)) == "due"
    assert state_of(deadline, None, acknowledgement) == "due"
    assert state_of(deadline, None, acknowledgement + dt.timedelta(days=1)) == "overdue"


@pytest.mark.parametrize(
    ("acknowledged", "feedback"),
    [
        (D(2025, 11, 30), D(2026, 2, 28)),  # end of November + 3 months: end of February
        (D(2027, 11, 30), D(2028, 2, 29)),  # ... 29 February in a leap year
        (D(2026, 8, 31), D(2026, 11, 30)),  # a day November lacks
        (D(2026, 1, 15), D(2026, 4, 15)),
    ],
)
def test_feedback_is_due_three_months_after_the_acknowledgement(
    acknowledged: dt.date, feedback: dt.date
) -> None:
    route = RouteTerms(7, 1, WHISTLEBLOWER, acknowledged, acknowledged=acknowledged)
    facts = DeadlineFacts(cases=[case()], routes=[route])
    assert kinds(facts, acknowledged) == {"report_feedback"}
    assert only(facts, "report_feedback", acknowledged).due == feedback


def test_without_an_acknowledgement_feedback_counts_from_the_end_of_the_seven_days() -> None:
    route = RouteTerms(7, 1, INTEGRITY, D(2025, 11, 1), filed=D(2025, 11, 23))
    facts = DeadlineFacts(cases=[case()], routes=[route])
    # 23 November + 7 days = 30 November; + 3 months = 28 February 2026.
    assert only(facts, "report_feedback").due == D(2026, 2, 28)
    # No filing day recorded: the route's own day is the day of the report.
    unfiled = RouteTerms(7, 1, INTEGRITY, D(2025, 11, 23))
    assert only(DeadlineFacts(cases=[case()], routes=[unfiled]), "report_feedback").due == D(
        2026, 2, 28
    )


def test_one_extension_adds_three_months_to_the_feedback_term() -> None:
    route = RouteTerms(7, 1, INTEGRITY, D(2026, 1, 15), acknowledged=D(2026, 1, 15), extended=True)
    deadline = only(DeadlineFacts(cases=[case()], routes=[route]), "report_feedback")
    assert deadline.due == D(2026, 7, 15)
    assert deadline.detail  # the extension is said
    # 30 November + 6 months is 30 May (not 28 May: the term is counted from its start).
    late = RouteTerms(7, 1, INTEGRITY, D(2025, 11, 30), acknowledged=D(2025, 11, 30), extended=True)
    assert only(DeadlineFacts(cases=[case()], routes=[late]), "report_feedback").due == D(
        2026, 5, 30
    )


def test_met_milestones_and_other_routes_set_no_report_term() -> None:
    done = RouteTerms(
        7, 1, INTEGRITY, D(2026, 1, 1), acknowledged=D(2026, 1, 3), feedback=D(2026, 3, 1)
    )
    complaint = RouteTerms(8, 1, "formal.complaint", D(2026, 1, 1))
    assert kinds(DeadlineFacts(cases=[case()], routes=[done, complaint])) == set()


@pytest.mark.parametrize(
    ("last_conversation", "listed_kinds"),
    [
        (None, {"aftercare"}),
        (D(2026, 11, 11), {"aftercare"}),  # the day before the check-in: not met
        (D(2026, 11, 12), set()),  # a conversation on the day meets it
    ],
)
def test_aftercare_is_due_weeks_after_a_route_ended_until_a_conversation_meets_it(
    last_conversation: dt.date | None, listed_kinds: set[str]
) -> None:
    route = RouteTerms(7, 1, INTEGRITY, D(2026, 9, 1), ended=D(2026, 10, 1))
    facts = DeadlineFacts(
        cases=[case(status="aftercare", last_conversation=last_conversation)],
        routes=[route],
        aftercare_weeks=6,
    )
    assert kinds(facts) == listed_kinds
    if listed_kinds:
        assert only(facts, "aftercare").due == D(2026, 11, 12)
    assert only(
        DeadlineFacts(cases=[case()], routes=[route], aftercare_weeks=2), "aftercare"
    ).due == D(2026, 10, 15)


@pytest.mark.parametrize(
    ("today", "shown", "state"),
    [
        (D(2026, 9, 1), False, "upcoming"),  # the day before the warning starts
        (D(2026, 9, 2), True, "upcoming"),  # three months before the last day
        (D(2026, 12, 2), True, "due"),  # the last day
        (D(2026, 12, 3), True, "overdue"),  # the day after: the period ended
    ],
)
def test_the_complaint_period_is_warned_three_months_ahead(
    today: dt.date, shown: bool, state: str
) -> None:
    facts = DeadlineFacts(
        cases=[case(complaint_filed=False, complaint_start=D(2023, 12, 2))],
        complaint_years={1: 3},
    )
    found = deadlines(facts, today=today, until=today + dt.timedelta(days=30))
    items = [i for i in assess(found, (), today=today) if i.deadline.kind == "complaint_period"]
    assert [i.state for i in items] == [state]
    assert items[0].deadline.due == D(2026, 12, 2)
    window = listed(items, today=today, until=today + dt.timedelta(days=30))
    assert bool(window) is shown


def test_the_complaint_period_from_a_leap_day_and_only_while_no_complaint_is_filed() -> None:
    leap = DeadlineFacts(
        cases=[case(complaint_filed=False, complaint_start=D(2024, 2, 29))],
        complaint_years={1: 3},
    )
    assert only(leap, "complaint_period").due == D(2027, 2, 28)
    filed = DeadlineFacts(
        cases=[case(complaint_filed=True, complaint_start=D(2024, 2, 29))],
        complaint_years={1: 3},
    )
    assert kinds(filed) == set()
    aftercare = DeadlineFacts(
        cases=[case(status="aftercare", complaint_filed=False)], complaint_years={1: 3}
    )
    assert kinds(aftercare) == set()


def test_the_yearly_report_is_owed_until_published_and_on_a_day_that_exists() -> None:
    report = ReportTerms(1, "Partij", first_year=2024, published=frozenset(), report_due="03-01")
    facts = DeadlineFacts(reports=[report])
    today = D(2026, 12, 2)
    found = deadlines(facts, today=today, until=today + dt.timedelta(days=30))
    reports = [d for d in found if d.kind == "yearly_report"]
    # Only last year's report is owed (not older ones), due 1 March 2026.
    assert [(d.subject, d.due) for d in reports] == [("report:1:2025", D(2026, 3, 1))]
    holiday = deadlines(facts, today=today, until=D(2027, 3, 31))
    assert [d.due for d in holiday if d.kind == "yearly_report"] == [
        D(2026, 3, 1),
        D(2027, 3, 1),
    ]
    published = ReportTerms(1, "Partij", 2024, frozenset({2025}), "03-01")
    assert not [
        d
        for d in deadlines(DeadlineFacts(reports=[published]), today=today, until=today)
        if d.kind == "yearly_report"
    ]
    new = ReportTerms(1, "Partij", 2026, frozenset(), "03-01")
    assert not [
        d
        for d in deadlines(DeadlineFacts(reports=[new]), today=today, until=today)
        if d.kind == "yearly_report"
    ]
    leap_day = ReportTerms(1, "Partij", 2024, frozenset(), "02-29")
    assert leap_day.due_on(2026) == D(2027, 2, 28) and leap_day.due_on(2027) == D(2028, 2, 29)


def test_backup_is_due_an_interval_after_the_last_one_and_today_when_there_was_none() -> None:
    today = D(2026, 12, 2)
    never = deadlines(DeadlineFacts(), today=today, until=today)
    assert [(d.kind, d.due) for d in never] == [("backup", today)]
    last = deadlines(
        DeadlineFacts(last_backup=D(2026, 11, 20), backup_interval_days=7), today=today, until=today
    )
    assert [(d.kind, d.due) for d in last] == [("backup", D(2026, 11, 27))]


def test_confidentiality_and_an_idle_procedure() -> None:
    facts = DeadlineFacts(
        cases=[case(confidentiality_explained=False, opened=D(2026, 11, 30))],
        procedures=[ProcedureTerms(4, 1, D(2026, 11, 18))],
    )
    assert only(facts, "confidentiality_not_explained").due == D(2026, 11, 30)
    idle = only(facts, "protocol_idle")
    assert (idle.due, idle.code, idle.target) == (D(2026, 12, 2), "2026-001", "procedure:4")


def mark(act: str, due: dt.date, *, until: dt.date | None = None, minute: int = 0) -> Mark:
    return Mark(
        "follow_up",
        "conversation:9",
        due,
        act,
        "gebeld",
        dt.datetime(2026, 11, 20, 9, minute),
        until,
    )


def test_a_snooze_hides_an_item_until_its_day_and_then_it_is_back() -> None:
    facts = DeadlineFacts(cases=[case(follow_up=D(2026, 11, 25), follow_up_conversation=9)])
    snoozed = (mark("snoozed", D(2026, 11, 25), until=D(2026, 12, 5)),)
    [item] = items_on(facts, D(2026, 12, 4), snoozed)
    assert item.state == "snoozed"
    assert listed([item], today=D(2026, 12, 4), until=D(2026, 12, 4)) == []
    assert listed([item], today=D(2026, 12, 4), until=D(2026, 12, 5)) == [item]
    [back] = items_on(facts, D(2026, 12, 5), snoozed)
    assert back.state == "overdue"


def test_done_hides_an_item_and_the_latest_mark_counts_for_the_same_day_only() -> None:
    facts = DeadlineFacts(cases=[case(follow_up=D(2026, 11, 25), follow_up_conversation=9)])
    marks = (
        mark("snoozed", D(2026, 11, 25), until=D(2026, 12, 5)),
        mark("done", D(2026, 11, 25), minute=5),
    )
    today = D(2026, 12, 2)
    [item] = items_on(facts, today, marks)
    assert item.state == "done"
    assert listed([item], today=today, until=today) == []
    assert listed([item], today=today, until=today, include_done=True) == [item]
    # A new follow-up date is a new deadline: the old mark does not apply to it.
    moved = DeadlineFacts(cases=[case(follow_up=D(2026, 12, 1), follow_up_conversation=9)])
    [again] = items_on(moved, today, marks)
    assert again.state == "overdue"


def test_items_come_soonest_first_and_read_well_in_dutch_and_english() -> None:
    facts = DeadlineFacts(
        cases=[
            case(case_id=1, code="2026-002", follow_up=D(2026, 12, 2), follow_up_conversation=2),
            case(case_id=2, code="2026-001", follow_up=D(2026, 11, 25), follow_up_conversation=1),
        ],
        last_backup=D(2026, 11, 20),
    )
    today = D(2026, 12, 2)
    items = assess(deadlines(facts, today=today, until=today), (), today=today)
    assert [(i.deadline.code, i.deadline.kind) for i in items] == [
        ("2026-001", "follow_up"),
        (None, "backup"),
        ("2026-002", "follow_up"),
    ]
    assert timing(items[0], today) == "7 dagen te laat (sinds 25 november 2026)"
    assert timing(items[2], today) == "vandaag"
    assert describe(items[1].deadline) == "Maak een back-up (laatste 20 november 2026)"
    i18n.set_language("en")
    assert timing(items[0], today) == "7 days overdue (since 25 November 2026)"
    assert describe(items[0].deadline) == "Follow up with the reporter"
