"""How the deadlines read the vault (issue 19), on real encrypted vaults: the facts are read
once however many callers ask at once, an assessment is reused until anything it depends on
changes, and closed cases that share a closing day still each get their own retention day."""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading
import time
from typing import Any

import pytest

from confidant_tui.domain.cases import Conversation
from confidant_tui.services import backups, cases, deadlines, retention
from confidant_tui.settings import Settings
from confidant_tui.vault.store import Vault
from tests.conftest import TAXONOMY
from tests.unit.storage.test_deadlines_storage import NOW, SETTINGS, TODAY, open_case

D = dt.date


@pytest.fixture(autouse=True)
def _forget() -> Any:
    deadlines.forget_cached()
    yield
    deadlines.forget_cached()


def test_callers_at_the_same_moment_read_and_assess_once(
    vault: Vault, monkeypatch: pytest.MonkeyPatch
) -> None:
    open_case(vault)
    reads: list[int] = []
    assessed: list[int] = []
    read, assess = deadlines._read_vault_facts, deadlines.assess

    def slow_read(*args: Any) -> Any:
        reads.append(1)
        time.sleep(0.2)  # long enough for the other caller to arrive meanwhile
        return read(*args)

    def slow_assess(*args: Any, **kwargs: Any) -> Any:
        assessed.append(1)
        time.sleep(0.2)
        return assess(*args, **kwargs)

    monkeypatch.setattr(deadlines, "_read_vault_facts", slow_read)
    monkeypatch.setattr(deadlines, "assess", slow_assess)
    results: dict[str, Any] = {}
    callers = [
        threading.Thread(
            target=lambda: results.setdefault(
                "today",
                deadlines.due_list(vault, today=TODAY, settings=SETTINGS, group_retention=5),
            )
        ),
        threading.Thread(
            target=lambda: results.setdefault(
                "overdue", deadlines.overdue_case_ids(vault, today=TODAY, settings=SETTINGS)
            )
        ),
    ]
    for caller in callers:
        caller.start()
    for caller in callers:
        caller.join()
    assert len(reads) == 1
    assert len(assessed) == 1
    assert set(results) == {"today", "overdue"}


def today_view(vault: Vault, settings: Settings = SETTINGS) -> dict[str, dt.date]:
    """The today view's items: kind -> due day."""
    found = deadlines.due_list(vault, today=TODAY, settings=settings, group_retention=5)
    return {item.deadline.kind: item.deadline.due for item in found.items}


def test_an_assessment_is_reused_until_a_write_a_setting_or_a_backup_changes_it(
    vault: Vault, monkeypatch: pytest.MonkeyPatch
) -> None:
    case_id = open_case(vault, opened=D(2026, 10, 1))
    assessed: list[int] = []
    original = deadlines.assess

    def counted(*args: Any, **kwargs: Any) -> Any:
        assessed.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(deadlines, "assess", counted)
    first = today_view(vault)
    deadlines.overdue_case_ids(vault, today=TODAY, settings=SETTINGS)
    deadlines.case_items(vault, case_id, today=TODAY, settings=SETTINGS)
    assert len(assessed) == 1  # the today view, the list's marks and the case file share it

    cases.add_conversation(
        vault,
        case_id,
        Conversation(D(2026, 11, 1), follow_up=TODAY),
        today=TODAY,
        taxonomy=TAXONOMY,
    )
    after = today_view(vault)
    assert len(assessed) == 2  # a write
    assert "follow_up" in after and "follow_up" not in first

    shorter = dataclasses.replace(SETTINGS, aftercare_weeks=SETTINGS.aftercare_weeks + 1)
    today_view(vault, shorter)
    assert len(assessed) == 3

    assert after["backup"] == TODAY  # never backed up
    monkeypatch.setattr(backups, "last_backup", lambda _vault: NOW.astimezone())
    assert today_view(vault).get("backup") != TODAY
    assert len(assessed) == 4

    deadlines.due_list(vault, today=TODAY + dt.timedelta(days=1), settings=SETTINGS)
    assert len(assessed) == 5


def test_cases_closed_on_one_day_keep_their_own_retention_day(vault: Vault) -> None:
    closed_on = D(2023, 6, 1)
    for number in range(3):
        case_id = open_case(vault, opened=D(2023, 3, 1 + number))
        cases.change_status(vault, case_id, "closed", closed_on, today=TODAY)
    retention.postpone(vault, "2023-002", until=D(2027, 1, 1), reason="lopende procedure", now=NOW)
    settings = Settings()
    every = deadlines.due_list(vault, today=TODAY, settings=settings, until=D(2027, 6, 1))
    due = {
        item.deadline.code: (item.deadline.due, item.state)
        for item in every.items
        if item.deadline.kind == "retention"
    }
    assert due == {
        "2023-001": (D(2025, 6, 1), "overdue"),
        "2023-002": (D(2027, 1, 1), "upcoming"),
        "2023-003": (D(2025, 6, 1), "overdue"),
    }
    overdue = deadlines.overdue_case_ids(vault, today=TODAY, settings=settings)
    assert len(overdue) == 2
