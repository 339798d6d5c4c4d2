"""What unlocking reads (issue 19): the case list's first page once, and the deadlines'
facts and their assessment once, worked out by the unlock's worker while the screens are
built, though the list (its overdue marks) and the today view ask for them at the same
moment. A second read of every case costs hundreds of milliseconds at 50,000 cases."""

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


def counting(monkeypatch: pytest.MonkeyPatch, module: Any, name: str) -> list[int]:
    calls: list[int] = []
    original = getattr(module, name)

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, counted)
    return calls


async def test_unlocking_reads_the_list_and_the_deadlines_once(
    demo_path: Path, clock: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    pages = counting(monkeypatch, cases, "list_cases")
    facts = counting(monkeypatch, deadlines, "_read_vault_facts")
    assessed = counting(monkeypatch, deadlines, "assess")
    prepared = counting(monkeypatch, deadlines, "prepare")
    app = make_app(Settings(), demo_path, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        clock.set(NOW)
        await unlock(pilot)
        await settle(pilot)
        assert [type(s) for s in app.screen_stack] == [CaseListScreen, TodayScreen]
        assert app.screen.due is not None  # type: ignore[attr-defined]
        assert len(pages) == 1
        assert len(facts) == 1
        assert len(prepared) == 1  # by the unlock's worker, while the screens were built
        assert len(assessed) == 1  # the today view and the list's marks found it ready

        await pilot.press("escape")  # back to the list: it reads its page again
        await settle(pilot)
        assert isinstance(app.screen, CaseListScreen)
        assert len(pages) == 2
        assert len(facts) == 1  # nothing was written meanwhile
