"""The referral screen on the demo vault, through pilot keys: a bedrijfsarts letter drafted
and exported, a fact without consent refused and then allowed by recording the consent from
the screen, and a letter made from an existing referral row that belongs to that row."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Button, Checkbox, Select, SelectionList, Static

from confidant_tui.domain.cases import Case
from confidant_tui.domain.clock import FixedClock
from confidant_tui.i18n import _
from confidant_tui.services.cases import get_case, list_cases
from confidant_tui.services.referrals import letters_of_case
from confidant_tui.settings import Settings
from confidant_tui.ui import navigation
from confidant_tui.ui.app import make_app
from confidant_tui.ui.modals.confirm import ConfirmModal
from confidant_tui.ui.modals.consent import ConsentModal
from confidant_tui.ui.screens.case_file import CaseFileScreen
from confidant_tui.ui.screens.referral import ReferralScreen
from confidant_tui.ui.widgets.literal_fields import LiteralInput
from confidant_tui.vault.store import Vault
from tests.conftest import PASSPHRASE
from tests.ui.case_helpers import screen_text, type_into
from tests.ui.conftest import settle, unlock

NOW = dt.datetime(2026, 11, 23, 12, 0)
"""The demo's today, after the demo's referral consents (18 November and 1 September)."""


def demo_case(vault_path: Path, code: str) -> Case:
    """A demo case, read through the services before the app opens the vault."""
    with Vault.open(vault_path, PASSPHRASE) as vault:
        row = next(r for r in list_cases(vault) if r.code == code)
        return get_case(vault, row.id)


def read_back(vault_path: Path, code: str) -> tuple[Case, tuple]:
    """The case and its letters as stored now (after the app closed the vault)."""
    with Vault.open(vault_path, PASSPHRASE, read_only=True) as vault:
        row = next(r for r in list_cases(vault) if r.code == code)
        return get_case(vault, row.id), letters_of_case(vault, row.id)


async def open_letter(pilot: Pilot, case_id: int) -> ReferralScreen:
    """Unlocks, opens the case file, puts the cursor on its first row (the case opened, so
    no consent's destination is chosen first) and presses `l`."""
    await unlock(pilot)
    navigation.open_case_file(pilot.app, case_id)
    await settle(pilot)
    case_file = pilot.app.screen
    assert isinstance(case_file, CaseFileScreen)
    await pilot.press("ctrl+home")
    assert not (case_file.current_row() or "consent-").startswith("consent-")
    await pilot.press("l")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ReferralScreen), screen_text(pilot.app)
    return screen


async def choose_destination(pilot: Pilot, downs: int) -> None:
    """Opens the destination list and moves `downs` rows down from the one chosen now (up
    when negative)."""
    pilot.app.screen.query_one("#destination").focus()
    await pilot.press("enter")
    await pilot.pause()
    for _step in range(abs(downs)):
        await pilot.press("down" if downs > 0 else "up")
    await pilot.press("enter")
    await settle(pilot)


async def export_to(pilot: Pilot, path: Path) -> None:
    """Names the file, presses Ctrl+O, and confirms the not-encrypted question."""
    screen = pilot.app.screen
    screen.query_one("#file", LiteralInput).value = str(path)
    screen.query_one("#question").focus()
    await pilot.press("ctrl+o")
    await settle(pilot)
    question = pilot.app.screen
    assert isinstance(question, ConfirmModal), screen_text(pilot.app)
    assert _("The letter leaves the vault unencrypted.") in screen_text(pilot.app)
    assert pilot.app.focused is question.query_one("#cancel"), "the question starts on Cancel"
    question.query_one("#confirm", Button).press()
    await settle(pilot)


async def test_a_bedrijfsarts_letter_is_drafted_and_exported(
    demo_path: Path, clock: FixedClock, tmp_path: Path
) -> None:
    case = demo_case(demo_path, "2026-003")
    before = len(case.referrals)
    clock.set(NOW)
    app = make_app(Settings(), demo_path, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_letter(pilot, case.id)
        await choose_destination(pilot, 1)
        assert screen.destination == "occupational_health"
        # the consent covers name, contact and work situation: each ticked; the rest never
        for key in ("name", "contact", "work_situation"):
            box = screen.query_one(f"#fact-{key}", Checkbox)
            assert box.value and not box.disabled
        assert not screen.query_one("#row-summary").display
        assert "bedrijfsarts" in str(screen.query_one("#purpose", Static).content).lower()
        await type_into(pilot, "#question", "Kunt u met de betrokkene bespreken wat helpt?")
        await type_into(pilot, "#blank-recipient", "Arbodienst Noord")
        await settle(pilot)
        letter = screen.letter
        assert letter is not None
        assert letter.facts == ("name", "contact", "work_situation")
        preview = str(screen.query_one("#preview", Static).content)
        assert preview == letter.text
        assert "Şükrü Çelik" in preview and "Arbodienst Noord" in preview
        target = tmp_path / "brief.txt"
        await export_to(pilot, target)
        assert target.read_text(encoding="utf-8") == letter.text
        assert not screen.is_dirty
        assert isinstance(pilot.app.screen, ReferralScreen)
    stored, letters = read_back(demo_path, "2026-003")
    assert len(stored.referrals) == before + 1
    assert stored.referrals[-1].destination == "occupational_health"
    assert [(x.referral_id, x.file_format, x.facts) for x in letters] == [
        (stored.referrals[-1].id, "txt", ("name", "contact", "work_situation"))
    ]
    # the notes of the case never reach the letter
    for conversation in stored.conversations:
        assert (conversation.notes or "")[:30] not in letters[0].text


async def test_a_fact_without_consent_is_refused_until_the_consent_is_recorded(
    demo_path: Path, clock: FixedClock
) -> None:
    case = demo_case(demo_path, "2026-003")
    clock.set(NOW)
    app = make_app(Settings(), demo_path, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_letter(pilot, case.id)
        await choose_destination(pilot, 2)
        assert screen.destination == "whistleblower_authority.advice"
        # the consent of 18 November is for the bedrijfsarts, not the Huis voor Klokkenluiders
        name = screen.query_one("#fact-name", Checkbox)
        assert name.disabled and not name.value
        reason = screen.query_one("#row-name").query_one(".reason", Static)
        assert str(reason.content) == _(
            "No consent: the reporter has not agreed to share this with this recipient."
        )
        conditions = str(screen.query_one("#conditions", Static).content)
        assert conditions.count("•") >= 4, "the Huis voor Klokkenluiders' conditions show"
        button = screen.query_one("#consent-name", Button)
        assert button.display
        button.focus()
        await pilot.press("enter")
        await settle(pilot)
        dialog = pilot.app.screen
        assert isinstance(dialog, ConsentModal)
        assert dialog.query_one("#purpose", Select).value == "referral"
        assert dialog.query_one("#destination", Select).value == "whistleblower_authority.advice"
        assert dialog.query_one("#scope", SelectionList).selected == ["name"]
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert pilot.app.screen is screen
        assert not name.disabled and name.value
        assert not screen.query_one("#consent-name", Button).display
        await type_into(pilot, "#question", "Wat kan de melder doen?")
        await settle(pilot)
        assert screen.letter is not None and "name" in screen.letter.facts
        assert "Şükrü Çelik" in str(screen.query_one("#preview", Static).content)
        # the checklist of the advice department: the question and the situation
        checklist = str(screen.query_one("#checklist", Static).content)
        assert "✓" in checklist


async def test_a_letter_from_a_referral_row_belongs_to_that_row(
    demo_path: Path, clock: FixedClock, tmp_path: Path
) -> None:
    case = demo_case(demo_path, "2026-002")
    referral = case.referrals[0]
    clock.set(NOW)
    app = make_app(Settings(), demo_path, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await unlock(pilot)
        navigation.open_case_file(pilot.app, case.id, select=f"ref-{referral.id}")
        await settle(pilot)
        assert isinstance(pilot.app.screen, CaseFileScreen)
        await pilot.press("enter")
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, ReferralScreen), screen_text(app)
        assert screen.referral_id == referral.id
        destination = screen.query_one("#destination")
        assert destination.disabled and screen.destination == referral.destination
        assert app.focused is screen.query_one("#question")
        await type_into(pilot, "#question", "Graag uw advies")
        await settle(pilot)
        assert screen.is_dirty
        await export_to(pilot, tmp_path / "brief.md")
        assert (tmp_path / "brief.md").exists()
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(pilot.app.screen, CaseFileScreen)
        assert "1 " in str(pilot.app.screen.query_one("#timeline").get_row(f"ref-{referral.id}")[2])
    stored, letters = read_back(demo_path, "2026-002")
    assert len(stored.referrals) == len(case.referrals), "no second referral"
    assert [(x.referral_id, x.file_format) for x in letters] == [(referral.id, "md")]
