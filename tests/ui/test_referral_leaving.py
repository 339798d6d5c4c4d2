"""Leaving the referral screen, through pilot keys on the demo vault: Escape (and Ctrl+Q,
and a lock) count as unsaved only what the adviser typed or chose since the screen started,
not what the screen filled in itself; and `l` on the row of a referral consent addresses
the letter to that consent's destination."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Checkbox, Static

from confidant_tui.domain.clock import FixedClock
from confidant_tui.services.consent import consent_ledger
from confidant_tui.settings import Settings
from confidant_tui.ui import navigation
from confidant_tui.ui.app import make_app
from confidant_tui.ui.controllers.referral import default_file_name
from confidant_tui.ui.modals.confirm import ConfirmModal
from confidant_tui.ui.screens.case_file import CaseFileScreen
from confidant_tui.ui.screens.referral import ReferralScreen
from confidant_tui.ui.widgets.literal_fields import LiteralInput, LiteralTextArea
from confidant_tui.vault.store import Vault
from tests.conftest import PASSPHRASE
from tests.ui.case_helpers import screen_text
from tests.ui.conftest import settle, unlock
from tests.ui.test_referral_screen import NOW, choose_destination, demo_case, open_letter


def referral_consent_id(vault_path: Path, case_id: int, destination: str) -> int:
    """The id of the case's referral consent for `destination`."""
    with Vault.open(vault_path, PASSPHRASE, read_only=True) as vault:
        ledger = consent_ledger(vault, case_id)
    found = [c.id for c in ledger.consents if c.destination == destination]
    assert found and found[0] is not None
    return found[0]


async def letter_by_key(pilot: Pilot) -> ReferralScreen:
    """`l` on the case file: the referral letter it opens."""
    await pilot.press("l")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ReferralScreen), screen_text(pilot.app)
    return screen


async def leave(pilot: Pilot) -> None:
    """Presses Escape on the letter and lets it settle."""
    await pilot.press("escape")
    await settle(pilot)


async def test_escape_asks_only_after_the_adviser_typed_or_chose(
    demo_path: Path, clock: FixedClock
) -> None:
    case = demo_case(demo_path, "2026-003")
    clock.set(NOW)
    app = make_app(Settings(), demo_path, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        # opened and left at once: straight back, no question
        await open_letter(pilot, case.id)
        assert app.unsaved_forms() == []
        await leave(pilot)
        assert isinstance(app.screen, CaseFileScreen), screen_text(app)
        # a destination chosen, then the prompt chosen again: the form is as it started
        # (the file name the screen proposed for the bedrijfsarts goes with it)
        screen = await letter_by_key(pilot)
        await choose_destination(pilot, 1)
        assert screen.destination == "occupational_health"
        assert screen.query_one("#file", LiteralInput).value
        assert screen.is_dirty and app.unsaved_forms(), "a choice is the adviser's work"
        await choose_destination(pilot, -1)
        assert screen.destination is None
        assert screen.query_one("#file", LiteralInput).value == ""
        assert str(screen.query_one("#purpose", Static).content) == ""
        assert not screen.query_one("#row-name").display
        assert app.unsaved_forms() == []
        await leave(pilot)
        assert isinstance(app.screen, CaseFileScreen), screen_text(app)
        # one character typed: Escape asks, and Ctrl+Q would too
        screen = await letter_by_key(pilot)
        screen.query_one("#question", LiteralTextArea).focus()
        await pilot.press("x")
        await settle(pilot)
        assert app.unsaved_forms()
        await leave(pilot)
        assert isinstance(app.screen, ConfirmModal), screen_text(app)


async def test_l_on_a_referral_consent_addresses_the_letter_to_its_destination(
    demo_path: Path, clock: FixedClock
) -> None:
    case = demo_case(demo_path, "2026-003")
    consent_id = referral_consent_id(demo_path, case.id, "occupational_health")
    clock.set(NOW)
    app = make_app(Settings(), demo_path, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await unlock(pilot)
        navigation.open_case_file(app, case.id, select=f"consent-{consent_id}")
        await settle(pilot)
        assert isinstance(app.screen, CaseFileScreen)
        screen = await letter_by_key(pilot)
        assert screen.destination == "occupational_health"
        assert not screen.query_one("#destination").disabled, "still the adviser's choice"
        # what the consent allows is ticked, as when the adviser chose the destination
        for key in ("name", "contact", "work_situation"):
            box = screen.query_one(f"#fact-{key}", Checkbox)
            assert box.value and not box.disabled
        assert "bedrijfsarts" in str(screen.query_one("#purpose", Static).content).lower()
        assert screen.query_one("#file", LiteralInput).value == default_file_name(
            "2026-003", "occupational_health"
        )
        # the screen chose it, not the adviser: nothing to lose
        assert app.unsaved_forms() == []
        await leave(pilot)
        assert isinstance(app.screen, CaseFileScreen), screen_text(app)


async def test_a_lock_keeps_what_the_letter_started_with(
    demo_path: Path, clock: FixedClock
) -> None:
    case = demo_case(demo_path, "2026-003")
    clock.set(NOW)
    app = make_app(Settings(), demo_path, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_letter(pilot, case.id)
        await choose_destination(pilot, 1)
        own_name = str(Path.home() / "eigen-naam.md")
        screen.query_one("#file", LiteralInput).value = own_name
        await choose_destination(pilot, 1)
        assert screen.destination == "whistleblower_authority.advice"
        assert screen.query_one("#file", LiteralInput).value == own_name, "the adviser's own"
        await choose_destination(pilot, -1)
        screen.query_one("#file", LiteralInput).value = ""
        await choose_destination(pilot, 1)
        assert screen.query_one("#file", LiteralInput).value == default_file_name(
            "2026-003", "whistleblower_authority.advice"
        ), "the proposed name follows the destination"
        await choose_destination(pilot, -2)
        assert screen.destination is None and screen.query_one("#file", LiteralInput).value == ""
        screen.query_one("#question", LiteralTextArea).focus()
        await pilot.press("x")
        await settle(pilot)
        await pilot.press("ctrl+l")
        await settle(pilot)
        await unlock(pilot)
        screen = app.screen
        assert isinstance(screen, ReferralScreen), screen_text(app)
        question = screen.query_one("#question", LiteralTextArea)
        assert question.text == "x" and app.unsaved_forms()
        question.focus()
        await pilot.press("end", "backspace")
        await settle(pilot)
        # back to what it started with before the lock: nothing to lose
        assert app.unsaved_forms() == []
        await leave(pilot)
        assert isinstance(app.screen, CaseFileScreen), screen_text(app)
