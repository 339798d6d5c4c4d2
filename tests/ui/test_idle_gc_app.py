"""The app walks all of Python's objects at a pause of the adviser, not while keys come
(`ui/idle_gc.py`; the collector itself is tested in tests/unit/ui/test_idle_gc.py)."""

from __future__ import annotations

import asyncio
import gc
from types import SimpleNamespace

import pytest

from confidant_tui.settings import Settings
from confidant_tui.ui import idle_gc
from confidant_tui.ui.app import make_app


async def test_the_app_walks_at_a_pause_after_keys(
    monkeypatch: pytest.MonkeyPatch, demo_path, clock
) -> None:
    """Wired into the app: keys are activity, and the walk comes once they pause."""
    walks: list[int] = []

    def counted(generation: int = 2) -> int:
        walks.append(generation)
        return gc.collect(generation)

    # The collector's own `gc` (the warm-up's collection is not counted).
    seen_by_collector = SimpleNamespace(
        collect=counted,
        freeze=gc.freeze,
        unfreeze=gc.unfreeze,
        get_freeze_count=gc.get_freeze_count,
    )
    monkeypatch.setattr(idle_gc, "gc", seen_by_collector)
    monkeypatch.setattr(idle_gc, "IDLE_SECONDS", 0.5)
    monkeypatch.setattr(idle_gc, "CHECK_SECONDS", 0.05)
    app = make_app(Settings(), demo_path, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(0.3)
        assert walks == []  # no activity yet
        await pilot.press("a", "b")
        await asyncio.sleep(0.1)
        assert walks == []  # not while typing
        await asyncio.sleep(1.0)
        assert walks == [2]
        await asyncio.sleep(0.6)
        assert walks == [2]  # once per pause
