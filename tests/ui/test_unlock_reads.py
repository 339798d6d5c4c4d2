"""What unlocking reads (issue 19): the today view's deadlines once, by the unlock's worker
before the screens are built (so the view is built with its rows and drawn once), and the
case list's first page once, after the today view was drawn (the list lies beneath it). A
second read of every case costs hundreds of milliseconds at 50,000 cases, and a worker that
reads while the screens are built waits for Python's lock the whole time."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from confidant_tui.services import cases, deadlines
from confidant_tui.settings import Settings
from confidant_tui.ui.app import make_app
from confidant_tui.ui.screens.case_list import CaseListScreen
from confidant_tui.ui.screens.today import TodayScreen
from tests.ui.conftest import settle, unlock

NOW = dt.datetime(2026, 12, 2, 9, 0)


def counting(
    monkeypatch: pytest.MonkeyPatch, module: Any, name: str, order: list[str] | None = None
) -> list[int]:
    calls: list[int] = []
    original = getattr(module, name)

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        if order is not None:
            order.append(name)
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, counted)
    return calls


async def unlock_to_today(pilot: Any, clock: Any) -> None:
    """Unlocks (today's date `NOW`); the today view is on the list, with what is due."""
    clock.set(NOW)
    await unlock(pilot)
    await settle(pilot)
    app = pilot.app
    assert [type(s) for s in app.screen_stack] == [CaseListScreen, TodayScreen]
    assert app.screen.due is not None


async def test_unlocking_reads_the_today_view_first_then_the_list_once(
    demo_path: Path, clock: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    order: list[str] = []
    pages = counting(monkeypatch, cases, "list_cases", order)
    facts = counting(monkeypatch, deadlines, "_read_vault_facts")
    assessed = counting(monkeypatch, deadlines, "assess")
    prepared = counting(monkeypatch, deadlines, "prepare")
    due = counting(monkeypatch, deadlines, "due_list", order)
    filled = counting(monkeypatch, TodayScreen, "_loaded", order)
    own_reads = counting(monkeypatch, TodayScreen, "_load")
    app = make_app(Settings(), demo_path, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock_to_today(pilot, clock)
        assert len(due) == 1 and not own_reads  # read by the unlock's worker, not the view's
        assert len(filled) == 1  # built with its rows: filled once
        assert len(prepared) == 0  # the today view's read worked the deadlines out
        assert len(facts) == 1
        assert len(assessed) == 1  # the list's overdue marks found the assessment ready
        assert len(pages) == 1
        assert order.index("_loaded") < order.index("list_cases")  # the today view first
        assert app.screen_stack[0].query_one("#cases").row_count > 0

        await pilot.press("escape")  # back to the list: nothing changed, nothing is read
        await settle(pilot)
        assert isinstance(app.screen, CaseListScreen)
        assert len(pages) == 1
        assert len(facts) == 1
        assert app.screen.query_one("#cases").row_count > 0


async def test_the_today_view_reads_itself_when_the_unlock_could_not(
    demo_path: Path, clock: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A read that fails in the unlock's worker leaves it to the view, which reads again
    (and says what failed, if it fails again): the unlock itself goes on."""
    from confidant_tui.errors import ConfidantError

    original = TodayScreen.prefetch.__func__  # type: ignore[attr-defined]
    failures = [ConfidantError("unreadable")]

    def first_fails(cls: Any, context: Any) -> Any:
        if failures:
            raise failures.pop()
        return original(cls, context)

    monkeypatch.setattr(TodayScreen, "prefetch", classmethod(first_fails))
    own_reads = counting(monkeypatch, TodayScreen, "_load")
    app = make_app(Settings(), demo_path, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock_to_today(pilot, clock)
        assert len(own_reads) == 1
        assert not failures
