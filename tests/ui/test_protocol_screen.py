"""The protocol procedure screen, through the keyboard, on a real encrypted vault."""

from __future__ import annotations

import datetime as dt

from textual.widgets import Button, DataTable, Input, TextArea

from confidant_tui.domain.cases import CaseFacts, Intake
from confidant_tui.services.cases import create_case
from confidant_tui.services.protocol import case_procedures
from confidant_tui.ui.modals.confirm import ConfirmModal
from confidant_tui.ui.modals.protocol_menu import ChoiceModal
from confidant_tui.ui.modals.protocol_step import StepModal
from confidant_tui.ui.screens.case_file import CaseFileScreen
from confidant_tui.ui.screens.protocol import ProtocolScreen
from confidant_tui.ui.widgets.lvv_checklist import LvvChecklist
from tests.conftest import ORGANISATION, TAXONOMY
from tests.ui.case_helpers import TODAY, freeze_now, freeze_today, screen_text
from tests.ui.conftest import settle, unlock

NOW = dt.datetime(2025, 6, 2, 16, 0)
"""The fixed "now" of these tests."""


def make_case(vault_path) -> int:
    """A case opened a month before NOW, stored through the service."""
    from confidant_tui.vault.store import Vault
    from tests.conftest import PASSPHRASE

    vault = Vault.open(vault_path, PASSPHRASE)
    try:
        case = create_case(
            vault,
            Intake(dt.date(2025, 5, 1), CaseFacts("employee", ("aggression.physical",))),
            today=TODAY,
            taxonomy=TAXONOMY,
            default_organisation=ORGANISATION,
        )
    finally:
        vault.close()
    assert case.id is not None
    return case.id


def procedures(app, case_id: int):
    """The case's procedures as stored (read through the app's open vault)."""
    return case_procedures(app.session.vault, case_id)


async def open_case_file(pilot, case_id: int) -> CaseFileScreen:
    """Unlocks and shows the case file, with today and now fixed (`TODAY`, `NOW`)."""
    freeze_today(pilot.app)
    freeze_now(pilot.app, NOW)
    await unlock(pilot)
    await pilot.app.push_screen(CaseFileScreen(case_id))
    await settle(pilot)
    assert isinstance(pilot.app.screen, CaseFileScreen)
    return pilot.app.screen


async def start(pilot, case_id: int) -> ProtocolScreen:
    """Unlocks, opens a new procedure on the case and chooses serious conscientious distress."""
    await open_case_file(pilot, case_id)
    await pilot.press("p")
    await settle(pilot)
    assert isinstance(pilot.app.screen, ChoiceModal)
    await pilot.press("2")  # the second ground: serious conscientious distress
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ProtocolScreen)
    return screen


async def fill(pilot, values: dict[str, str], when: tuple[str, str] | None = None) -> None:
    """Types into the open step form (ids -> text) and, optionally, its date and time."""
    modal = pilot.app.screen
    assert isinstance(modal, StepModal), type(modal)
    for widget_id, text in values.items():
        widget = modal.query_one(f"#{widget_id}")
        widget.focus()
        await pilot.pause()
        if isinstance(widget, Input):
            widget.value = ""
        elif isinstance(widget, TextArea):
            widget.clear()
        await pilot.press(*[_key(c) for c in text])
    if when is not None:
        for widget_id, text in zip(("at-date", "at-time"), when, strict=True):
            field = modal.query_one(f"#{widget_id}", Input)
            field.focus()
            field.value = ""
            await pilot.press(*[_key(c) for c in text])
    await pilot.pause()


def _key(char: str) -> str:
    names = {" ": "space", "-": "minus", ".": "full_stop", ",": "comma", ":": "colon"}
    return names.get(char, char)


async def save(pilot) -> None:
    """Ctrl+S in the step form, then waits for the store and the reload."""
    await pilot.press("ctrl+s")
    await settle(pilot)


async def test_full_procedure_on_conscientious_distress(shell, vault_path) -> None:
    case_id = make_case(vault_path)
    async with shell.run_test(size=(100, 30)) as pilot:
        screen = await start(pilot, case_id)
        text = screen_text(shell)
        assert "Ernstige gewetensnood" in text
        assert "Nog nodig vóór een doorbreking" in text
        [opened] = procedures(shell, case_id)
        assert opened.ground == "conscientious_distress"

        # The eight conditions, each with a digit and the adviser's own words.
        for number in range(1, 9):
            await pilot.press(str(number))
            await settle(pilot)
            assert shell.focused is not None and shell.focused.id == "explanation"
            await fill(pilot, {"explanation": f"T{number}"})
            await save(pilot)
            assert isinstance(shell.screen, ProtocolScreen), screen_text(shell)
        assert screen.query_one(LvvChecklist).explained == 8

        # A consent attempt and a consultation through the step menu.
        await pilot.press("s")
        await settle(pilot)
        await pilot.press("2")  # consent attempt
        await settle(pilot)
        await fill(pilot, {"description": "Wil niet"})
        await save(pilot)
        await pilot.press("o")
        await settle(pilot)
        await fill(pilot, {"consulted": "LVV"})
        await save(pilot)

        # Informing the reporter, the justification.
        await pilot.press("i")
        await settle(pilot)
        await fill(pilot, {"how": "tel"}, ("02-06-2025", "10:00"))
        await save(pilot)
        await pilot.press("j")
        await settle(pilot)
        await fill(pilot, {"text": "Gevaar"})
        await save(pilot)
        assert "Er ontbreekt niets meer" in screen_text(shell) or "Niets ontbreekt" in screen_text(
            shell
        ), screen_text(shell)

        # The disclosure, confirmed once more.
        await pilot.press("d")
        await settle(pilot)
        await fill(
            pilot,
            {"recipient": "Bestuur", "what": "Gevaar"},
            ("02-06-2025", "15:00"),
        )
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(shell.screen, ConfirmModal)
        # A reflexive Enter cancels: the focus starts on the safe button.
        await pilot.press("enter")
        await settle(pilot)
        assert procedures(shell, case_id)[0].disclosure is None
        assert not isinstance(shell.screen, (ConfirmModal, ProtocolScreen))
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(shell.screen, ConfirmModal)
        await pilot.press("shift+tab", "enter")
        await settle(pilot)
        assert isinstance(shell.screen, ProtocolScreen), screen_text(shell)
        assert "Afgesloten" in screen_text(shell)

        [procedure] = procedures(shell, case_id)
        assert procedure.disclosure is not None
        assert procedure.disclosure.recipient == "Bestuur"
        assert len(procedure.conditions()) == 8
        kinds = [s.kind for s in procedure.steps]
        assert kinds.count("condition") == 8
        for kind in ("consent_attempt", "consultation", "informing", "justification"):
            assert kind in kinds
        assert screen.query_one("#steps", DataTable).row_count == len(procedure.steps)

        # The case file's timeline shows the whole record, marked as protocol entries.
        await pilot.press("escape")
        await settle(pilot)
        case_file = shell.screen
        assert isinstance(case_file, CaseFileScreen)
        timeline = case_file.query_one("#timeline", DataTable)

        def shown_rows() -> list[str]:
            return [
                " ".join(str(cell) for cell in timeline.get_row_at(i))
                for i in range(timeline.row_count)
            ]

        # One row for the whole procedure; + shows its steps under it.
        [group] = [row for row in shown_rows() if "Protocol" in row]
        assert "Procedure: Ernstige gewetensnood · doorbroken op 02-06-2025" in group
        assert f"{len(procedure.steps)} stappen" in group
        timeline.move_cursor(row=timeline.get_row_index(f"proc-{procedure.id}"))
        await pilot.press("plus")
        await pilot.pause()
        rows = shown_rows()
        protocol_rows = [row for row in rows if "Protocol" in row]
        assert len(protocol_rows) == len(procedure.steps) + 1  # the group and every step
        assert any("Doorbreking: Bestuur" in row for row in rows)
        assert any("Melder ingelicht" in row for row in rows)
        assert any("Motivering: Gevaar" in row for row in rows)


async def test_disclosure_before_informing_is_refused_and_keeps_the_text(shell, vault_path) -> None:
    case_id = make_case(vault_path)
    async with shell.run_test(size=(100, 30)) as pilot:
        await start(pilot, case_id)
        await pilot.press("j")
        await settle(pilot)
        await fill(pilot, {"text": "Gevaar voor anderen"})
        await save(pilot)

        await pilot.press("d")
        await settle(pilot)
        await fill(pilot, {"recipient": "De politie", "what": "Wat ik weet van het gevaar"})
        await pilot.press("ctrl+s")
        await settle(pilot)
        modal = shell.screen
        assert isinstance(modal, StepModal), type(modal)
        text = screen_text(shell)
        assert "Dit kan nog niet worden vastgelegd" in text
        assert "De melder is niet vooraf ingelicht" in text
        assert modal.query_one("#recipient", Input).value == "De politie"
        assert modal.query_one("#what", TextArea).text == "Wat ik weet van het gevaar"
        [procedure] = procedures(shell, case_id)
        assert procedure.disclosure is None


async def test_a_correction_is_an_addendum_pointing_to_the_step(shell, vault_path) -> None:
    case_id = make_case(vault_path)
    async with shell.run_test(size=(100, 30)) as pilot:
        screen = await start(pilot, case_id)
        await pilot.press("i")
        await settle(pilot)
        await fill(pilot, {"how": "per brief"}, ("01-06-2025", "10:00"))
        await save(pilot)
        screen.query_one("#steps", DataTable).focus()
        await pilot.press("c")
        await settle(pilot)
        assert "stap 1 (Melder ingelicht" in screen_text(shell)
        await fill(pilot, {"text": "Het was telefonisch, niet per brief"})
        await save(pilot)
        assert isinstance(shell.screen, ProtocolScreen)
        [procedure] = procedures(shell, case_id)
        informing, addendum = procedure.steps
        assert addendum.kind == "addendum" and addendum.corrects == informing.id
        assert informing.how == "per brief"  # the step itself never changes
        text = screen_text(shell)
        assert "→ stap 1" in text
        assert "Aanvulling van" in text


async def test_a_superscript_digit_in_the_ground_menu_does_nothing(shell, vault_path) -> None:
    """`"²".isdigit()` is true but `int("²")` fails: only 1-9 pick an item."""
    case_id = make_case(vault_path)
    async with shell.run_test(size=(100, 30)) as pilot:
        await open_case_file(pilot, case_id)
        await pilot.press("p")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ChoiceModal)
        await pilot.press("²", "٢")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ChoiceModal)
        assert pilot.app.return_code is None


async def test_the_save_button_asks_before_closing_the_procedure(shell, vault_path) -> None:
    """Tabbing to Save and pressing Enter asks the same question as Ctrl+S does."""
    case_id = make_case(vault_path)
    async with shell.run_test(size=(100, 30)) as pilot:
        await start(pilot, case_id)
        await pilot.press("s")
        await settle(pilot)
        await pilot.press("end", "enter")  # the last step: decided not to disclose
        await settle(pilot)
        assert isinstance(shell.screen, StepModal) and shell.screen.kind == "abandonment"
        await fill(pilot, {"reason": "Niet meer nodig"})
        save_button = shell.screen.query_one("#save", Button)
        save_button.focus()
        await pilot.pause()
        assert shell.focused is save_button
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(shell.screen, ConfirmModal), (type(shell.screen), screen_text(shell))
        await pilot.press("enter")  # the safe button
        await settle(pilot)
        assert procedures(shell, case_id)[0].steps == ()
