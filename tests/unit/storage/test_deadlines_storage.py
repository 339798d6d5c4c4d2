"""Deadlines on real encrypted vaults: what the vault's cases imply, marks and extensions
stored with their audit entries (never the reason), refusals that store nothing, and marks
that go with a destroyed case."""

from __future__ import annotations

import datetime as dt

import pytest

from confidant_tui.domain.cases import CaseFacts, Conversation, Intake, Route
from confidant_tui.errors import InvalidInput, NotFound
from confidant_tui.services import audit, cases, deadlines, retention
from confidant_tui.settings import Settings
from confidant_tui.vault.store import Vault
from tests.conftest import ORGANISATION, TAXONOMY

D = dt.date
TODAY = D(2026, 12, 2)
NOW = dt.datetime(2026, 12, 2, 9, 30)
SETTINGS = Settings()
MARCH = D(2026, 3, 1)


def open_case(vault: Vault, opened: dt.date = MARCH, **facts: object) -> int:
    values: dict[str, object] = {
        "reporter_role": "member",
        "categories": ("bullying",),
        "confidentiality_explained": opened,
    }
    values.update(facts)
    intake = Intake(opened=opened, facts=CaseFacts(**values))  # type: ignore[arg-type]
    return cases.create_case(
        vault, intake, today=TODAY, taxonomy=TAXONOMY, default_organisation=ORGANISATION
    ).id


def listed(vault: Vault, today: dt.date = TODAY, **options: object) -> list[tuple[str, str, str]]:
    found = deadlines.due_list(vault, today=today, settings=SETTINGS, **options)  # type: ignore[arg-type]
    return [
        (item.deadline.code or "", item.deadline.kind, item.state)
        for item in found.items
        if item.deadline.kind not in ("backup", "yearly_report", "complaint_period")
    ]


def item_of(vault: Vault, kind: str) -> deadlines.Deadline:
    found = deadlines.due_list(
        vault, today=TODAY, settings=SETTINGS, include_done=True, until=D(2028, 1, 1)
    )
    return next(item.deadline for item in found.items if item.deadline.kind == kind)


def test_the_vault_gives_follow_ups_report_terms_and_marks_them(vault: Vault) -> None:
    case_id = open_case(vault)
    cases.add_conversation(
        vault,
        case_id,
        Conversation(D(2026, 11, 1), follow_up=D(2026, 11, 25)),
        today=TODAY,
        taxonomy=TAXONOMY,
    )
    route_id = cases.add_route(
        vault,
        case_id,
        Route("formal.integrity_report", D(2026, 11, 20), filed=D(2026, 11, 20)),
        today=TODAY,
        taxonomy=TAXONOMY,
    )
    assert listed(vault) == [
        ("2026-001", "follow_up", "overdue"),
        ("2026-001", "report_acknowledgement", "overdue"),
    ]
    assert deadlines.overdue_case_ids(vault, today=TODAY, settings=SETTINGS) == {case_id}
    own = deadlines.case_items(vault, case_id, today=TODAY, settings=SETTINGS)
    assert [(i.deadline.kind, i.state) for i in own] == [
        ("follow_up", "overdue"),
        ("report_acknowledgement", "overdue"),
    ]
    feedback_due = item_of(vault, "report_feedback").due
    assert feedback_due == D(2027, 2, 27)  # 27 November + 3 months

    follow_up = item_of(vault, "follow_up")
    deadlines.mark_done(vault, follow_up, reason="gebeld op 1 december", now=NOW, settings=SETTINGS)
    acknowledgement = item_of(vault, "report_acknowledgement")
    deadlines.snooze(
        vault,
        acknowledgement,
        until=D(2026, 12, 4),
        reason="desk belt terug",
        now=NOW,
        settings=SETTINGS,
    )
    assert listed(vault, until=TODAY) == []
    assert listed(vault, until=TODAY, include_done=True) == [("2026-001", "follow_up", "done")]
    assert listed(vault, until=D(2026, 12, 4)) == [
        ("2026-001", "report_acknowledgement", "snoozed")
    ]
    assert listed(vault, today=D(2026, 12, 4)) == [
        ("2026-001", "report_acknowledgement", "overdue")
    ]

    deadlines.extend_feedback(vault, route_id, reason="onderzoek loopt", now=NOW)
    assert item_of(vault, "report_feedback").due == D(2027, 5, 27)
    with pytest.raises(InvalidInput):
        deadlines.extend_feedback(vault, route_id, reason="nog eens", now=NOW)

    logged = [(e.action, e.case_code, e.detail) for e in audit.entries(vault, limit=3)]
    assert logged == [
        ("route.extended", "2026-001", "formal.integrity_report +3"),
        ("deadline.snoozed", "2026-001", "report_acknowledgement 2026-11-27 -> 2026-12-04"),
        ("deadline.done", "2026-001", "follow_up 2026-11-25"),
    ]
    everything = " ".join(str(e) for e in audit.entries(vault))
    assert "gebeld" not in everything and "desk belt" not in everything


def test_refusals_store_nothing(vault: Vault) -> None:
    case_id = open_case(vault)
    conversation_id = cases.add_conversation(
        vault,
        case_id,
        Conversation(D(2026, 11, 1), follow_up=D(2026, 11, 25)),
        today=TODAY,
        taxonomy=TAXONOMY,
    )
    complaint = cases.add_route(
        vault, case_id, Route("formal.complaint", D(2026, 11, 2)), today=TODAY, taxonomy=TAXONOMY
    )
    follow_up = item_of(vault, "follow_up")
    before = len(audit.entries(vault))
    with pytest.raises(InvalidInput):
        deadlines.mark_done(vault, follow_up, reason="   ", now=NOW, settings=SETTINGS)
    with pytest.raises(InvalidInput):
        deadlines.mark_done(vault, follow_up, reason="x" * 501, now=NOW, settings=SETTINGS)
    with pytest.raises(InvalidInput):
        deadlines.snooze(vault, follow_up, until=TODAY, reason="later", now=NOW, settings=SETTINGS)
    with pytest.raises(InvalidInput):
        deadlines.extend_feedback(vault, complaint, reason="geen melding", now=NOW)
    with pytest.raises(NotFound):
        deadlines.extend_feedback(vault, 999, reason="bestaat niet", now=NOW)
    # The follow-up moved meanwhile: the deadline the adviser saw no longer exists.
    cases.edit_conversation(
        vault,
        conversation_id,
        Conversation(D(2026, 11, 1), follow_up=D(2026, 12, 10)),
        today=TODAY,
        taxonomy=TAXONOMY,
    )
    with pytest.raises(NotFound):
        deadlines.mark_done(vault, follow_up, reason="gebeld", now=NOW, settings=SETTINGS)
    assert len(audit.entries(vault)) == before + 1  # only the edit
    assert listed(vault, until=D(2026, 12, 31)) == [("2026-001", "follow_up", "upcoming")]


def test_marks_go_with_a_destroyed_case_and_the_closed_case_keeps_only_retention(
    vault: Vault,
) -> None:
    case_id = open_case(vault, opened=D(2023, 3, 1))
    cases.add_conversation(
        vault,
        case_id,
        Conversation(D(2023, 4, 1), follow_up=D(2023, 5, 1)),
        today=TODAY,
        taxonomy=TAXONOMY,
    )
    follow_up = item_of(vault, "follow_up")
    deadlines.mark_done(vault, follow_up, reason="gebeld", now=NOW, settings=SETTINGS)
    cases.change_status(vault, case_id, "closed", D(2023, 6, 1), today=TODAY)
    assert listed(vault) == [("2023-001", "retention", "overdue")]
    retention.destroy(vault, ["2023-001"], now=NOW)
    assert listed(vault, include_done=True) == []
    with vault.reading() as conn:
        assert conn.execute("SELECT count(*) FROM deadline_marks").fetchone()[0] == 0


def test_many_cases_due_for_destruction_become_one_counting_row_for_the_today_view(
    vault: Vault,
) -> None:
    for number in range(7):
        case_id = open_case(vault, opened=D(2022, 3, 1 + number))
        cases.change_status(vault, case_id, "closed", D(2022, 6, 1 + number), today=TODAY)
    grouped = deadlines.due_list(vault, today=TODAY, settings=SETTINGS, group_retention=5)
    [row] = [item for item in grouped.items if item.deadline.kind == "retention"]
    assert (row.state, row.deadline.due, row.deadline.case_id) == ("overdue", D(2024, 6, 1), None)
    assert deadlines.describe(row.deadline) == (
        "7 gesloten dossiers te vernietigen (zie het vernietigingsscherm)"
    )
    each = deadlines.due_list(vault, today=TODAY, settings=SETTINGS, group_retention=7)
    assert [i.deadline.code for i in each.items if i.deadline.kind == "retention"] == [
        f"2022-00{n}" for n in range(1, 8)
    ]
    assert [i.deadline.key for i in each.items] == [
        i.deadline.key for i in deadlines.due_list(vault, today=TODAY, settings=SETTINGS).items
    ]
    assert len(deadlines.overdue_case_ids(vault, today=TODAY, settings=SETTINGS)) == 7
    own = deadlines.case_items(vault, case_id, today=TODAY, settings=SETTINGS)
    assert [i.deadline.key for i in own] == [
        i.deadline.key for i in each.items if i.deadline.case_id == case_id
    ]
