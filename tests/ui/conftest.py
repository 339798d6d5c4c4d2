"""Fixtures for UI tests: a fake clock, the app on a real encrypted vault, and unlocking."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from textual.pilot import Pilot

from confidant_tui.settings import Settings
from confidant_tui.ui.app import ConfidantApp, make_app
from tests.conftest import PASSPHRASE


class FakeClock:
    """A clock the test moves by hand (the idle lock reads it; nothing sleeps)."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        """Moves the clock forward."""
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    """A fake clock for the app's idle lock."""
    return FakeClock()


@pytest.fixture
def shell(vault_path: Path, clock: FakeClock) -> ConfidantApp:
    """The app on a fresh, closed test vault, with default settings and the fake clock."""
    return make_app(Settings(), vault_path, clock=clock)


async def settle(pilot: Pilot) -> None:
    """Waits until workers have finished (failed ones too) and their messages are handled."""
    for _round in range(2):
        workers = list(pilot.app.workers)
        await asyncio.gather(*(worker.wait() for worker in workers), return_exceptions=True)
        await pilot.pause()


async def unlock(pilot: Pilot, passphrase: str = PASSPHRASE) -> None:
    """Types the passphrase into the unlock screen, presses Enter and waits for the result."""
    field = pilot.app.screen.query_one("#passphrase")
    field.value = passphrase
    field.focus()
    await pilot.press("enter")
    await settle(pilot)
