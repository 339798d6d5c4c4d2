"""Fixtures for UI tests: a frozen clock, the app on a real encrypted vault, and unlocking."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from textual.pilot import Pilot

from confidant_tui.domain.clock import FixedClock
from confidant_tui.services.demo_data import DEMO_TODAY, load_demo_cases
from confidant_tui.settings import Settings
from confidant_tui.ui.app import ConfidantApp, make_app
from confidant_tui.vault.store import Vault
from tests.conftest import ORGANISATION, PASSPHRASE, TAXONOMY


@pytest.fixture
def clock() -> FixedClock:
    """The app's clock, standing still: `clock.set(moment)` and `clock.advance(seconds)` move
    it (the idle lock, "today" and "now" all read it; nothing sleeps)."""
    return FixedClock()


@pytest.fixture
def shell(vault_path: Path, clock: FixedClock) -> ConfidantApp:
    """The app on a fresh, closed test vault, with default settings and the frozen clock;
    unlocking shows the case list (the today view after unlocking has its own tests)."""
    return make_app(Settings(today_on_unlock=False), vault_path, clock=clock)


@pytest.fixture
def demo_path(vault_path: Path) -> Path:
    """The test vault with the fictional demo cases in it."""
    vault = Vault.open(vault_path, PASSPHRASE)
    try:
        load_demo_cases(
            vault, today=DEMO_TODAY, taxonomy=TAXONOMY, default_organisation=ORGANISATION
        )
    finally:
        vault.close()
    return vault_path


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


async def open_report(pilot: Pilot) -> None:
    """Unlocks and chooses "Jaarverslag" in the command palette, without waiting for the
    report screen to be built."""
    await unlock(pilot)
    await choose_report(pilot)


async def choose_report(pilot: Pilot) -> None:
    """Chooses "Jaarverslag" in the command palette."""
    await pilot.press("ctrl+p")
    await pilot.pause()
    for char in "Jaarverslag":
        await pilot.press(char)
    await pilot.pause(0.3)
    await pilot.press("enter")
