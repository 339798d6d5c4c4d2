"""The full garbage collection waits for a pause of the adviser (`ui/idle_gc.py`): while the
adviser works, what was made is frozen so Python's own walks stay short; at a pause after
activity everything is walked once and what lives is frozen again; freezing stops once the
frozen objects have doubled, so garbage cannot pile up without a pause."""

from __future__ import annotations

import gc
import weakref

import pytest

from confidant_tui.ui import idle_gc
from confidant_tui.ui.idle_gc import IDLE_SECONDS, IdleCollector


class FakeGc:
    """Records what the collector asks of `gc`; `frozen` is what `get_freeze_count` says."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls: list[str] = []
        self.frozen = 1000
        self.alive_after_walk = 1200
        monkeypatch.setattr(idle_gc.gc, "freeze", lambda: self.calls.append("freeze"))
        monkeypatch.setattr(idle_gc.gc, "unfreeze", lambda: self.calls.append("unfreeze"))
        monkeypatch.setattr(idle_gc.gc, "collect", self._collect)
        monkeypatch.setattr(idle_gc.gc, "get_freeze_count", lambda: self.frozen)

    def _collect(self, generation: int = 2) -> int:
        self.calls.append("collect")
        self.frozen = self.alive_after_walk
        return 0


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_nothing_happens_before_any_activity(monkeypatch: pytest.MonkeyPatch) -> None:
    fake, clock = FakeGc(monkeypatch), Clock()
    collector = IdleCollector(clock)
    clock.now += 60
    assert collector.tick() is False
    assert fake.calls == []


def test_work_freezes_and_a_pause_walks_everything_once(monkeypatch: pytest.MonkeyPatch) -> None:
    fake, clock = FakeGc(monkeypatch), Clock()
    collector = IdleCollector(clock)
    collector.activity()
    clock.now += IDLE_SECONDS / 2
    assert collector.tick() is False
    assert fake.calls == ["freeze"]  # while the adviser works

    clock.now += IDLE_SECONDS
    assert collector.tick() is True
    assert fake.calls[1:] == ["unfreeze", "collect", "freeze"]
    clock.now += 10 * IDLE_SECONDS
    assert collector.tick() is False  # still the same pause: nothing more
    assert len(fake.calls) == 4

    collector.activity()  # back at work, then another pause
    clock.now += IDLE_SECONDS
    assert collector.tick() is True
    assert fake.calls[4:] == ["unfreeze", "collect", "freeze"]


def test_freezing_stops_once_the_frozen_objects_have_doubled(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fake, clock = FakeGc(monkeypatch), Clock()
    collector = IdleCollector(clock)
    collector.activity()
    collector.tick()  # the first check takes what is frozen (1000) as alive
    assert fake.calls == ["freeze"]
    fake.frozen = 2000
    collector.activity()
    collector.tick()
    assert fake.calls == ["freeze", "freeze"]  # grown by as much as was alive: still frozen
    fake.frozen = 2001
    collector.activity()
    assert collector.tick() is False
    assert fake.calls == ["freeze", "freeze"]  # Python's own walks take over until the pause
    clock.now += IDLE_SECONDS
    assert collector.tick() is True
    assert fake.frozen == 1200
    collector.activity()
    fake.frozen = 2400  # the new measure: what was alive after that walk
    collector.tick()
    assert fake.calls[-1] == "freeze"


def test_the_real_collector_keeps_what_is_alive_and_frees_the_rest() -> None:
    """With Python's own `gc`: a cycle made and dropped while working is freed at the pause,
    an object still referenced is not."""

    class Node:
        def __init__(self) -> None:
            self.me = self

    clock = Clock()
    collector = IdleCollector(clock)
    kept = Node()
    dropped = Node()
    gone = weakref.ref(dropped)
    try:
        collector.activity()
        collector.tick()  # frozen with the rest
        del dropped
        assert gone() is not None  # a frozen cycle waits for the pause
        clock.now += IDLE_SECONDS
        assert collector.tick() is True
        assert gone() is None
        assert kept.me is kept
    finally:
        gc.unfreeze()
