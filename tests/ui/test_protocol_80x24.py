"""The protocol screens at 80x24: the ground menu scrolls and follows the arrow keys, every
field of a step form comes into view on Tab, and closing a procedure without disclosing is
in the footer, the step menu and F1, in Dutch and in English."""

from __future__ import annotations

import pytest
from textual.containers import VerticalScroll
from textual.widgets import OptionList

from confidant_tui import i18n
from confidant_tui.settings import Settings
from confidant_tui.ui.app import make_app
from confidant_tui.ui.modals.confirm import ConfirmModal
from confidant_tui.ui.modals.protocol_menu import ChoiceModal
from confidant_tui.ui.modals.protocol_step import StepModal
from confidant_tui.ui.screens.protocol import ProtocolScreen
from confidant_tui.ui.textual_private import FOOTER_KEY
from confidant_tui.ui.widgets.form_field import FormField
from tests.ui.case_helpers import screen_lines, screen_text
from tests.ui.conftest import settle
from tests.ui.test_protocol_flags import shown
from tests.ui.test_protocol_screen import fill, make_case, open_case_file, procedures, save, start

SMALL = (80, 24)


def visible_in(container, widget) -> bool:
    """Whether `widget` is shown whole inside the scrolling `container`."""
    return container.scrollable_content_region.contains_region(widget.region)


async def test_the_ground_menu_scrolls_to_every_choice_with_the_arrow_keys(
    shell, vault_path
) -> None:
    case_id = make_case(vault_path)
    async with shell.run_test(size=SMALL) as pilot:
        await open_case_file(pilot, case_id)
        await pilot.press("p")
        await settle(pilot)
        menu = shell.screen
        assert isinstance(menu, ChoiceModal)
        choices = menu.query_one("#choices", OptionList)
        dialog = menu.query_one("#choice-dialog")
        # The list fits inside the dialog, which fits on the screen: it scrolls instead.
        assert dialog.region.bottom <= SMALL[1]
        assert choices.region.bottom <= dialog.region.bottom - 1
        assert choices.max_scroll_y > 0
        assert choices.highlighted == 0
        texts = []
        for index in range(1, 5):
            await pilot.press("down")
            await pilot.pause()
            assert choices.highlighted == index
            texts.append(screen_text(shell))
        # Option 4's explanation and option 5 are on screen once the highlight reaches them.
        assert "u kunt niet weigeren" in texts[2]
        assert "Nog niet besloten" in texts[3]
        assert "kies de grond later" in texts[3]
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(shell.screen, ProtocolScreen)
        [opened] = procedures(shell, case_id)
        assert opened.ground is None


async def test_the_ground_menu_explanations_wrap_under_the_label(shell, vault_path) -> None:
    case_id = make_case(vault_path)
    async with shell.run_test(size=SMALL) as pilot:
        await open_case_file(pilot, case_id)
        await pilot.press("p")
        await settle(pilot)
        lines = screen_lines(shell)
        wrapped = next(line for line in lines if "toestemming eerst vast" in line)
        first = next(line for line in lines if "De melder stemt in met" in line)
        assert wrapped.index("toestemming") == first.index("De melder")


@pytest.mark.parametrize("size", [SMALL, (100, 30)])
async def test_tab_brings_every_field_of_the_disclosure_into_view(shell, vault_path, size) -> None:
    case_id = make_case(vault_path)
    async with shell.run_test(size=size) as pilot:
        await start(pilot, case_id)
        await pilot.press("d")
        await settle(pilot)
        modal = shell.screen
        assert isinstance(modal, StepModal)
        dialog = modal.query_one("#dialog", VerticalScroll)
        assert dialog.max_scroll_y > 0, "the form is meant to be taller than the screen here"
        seen = []
        for _press in range(8):
            focused = shell.focused
            assert focused is not None
            seen.append(focused.id)
            assert visible_in(dialog, focused), (focused, dialog.scroll_y)
            field = next((a for a in focused.ancestors if isinstance(a, FormField)), None)
            if field is not None and field.region.height <= dialog.scrollable_content_region.height:
                assert visible_in(dialog, field), f"the label of {focused.id} is out of view"
            await pilot.press("tab")
            await settle(pilot)
        assert {"recipient", "how", "what", "shared", "at-date", "at-time", "save"} <= set(seen)
        # Back up again with Shift+Tab: the first field comes back into view.
        for _press in range(12):
            if shell.focused is not None and shell.focused.id == "recipient":
                break
            await pilot.press("shift+tab")
            await settle(pilot)
        assert shell.focused is not None and shell.focused.id == "recipient"
        assert visible_in(dialog, shell.focused)
        assert "Aan wie" in screen_text(shell)


async def test_a_refused_disclosure_keeps_the_focus_in_view(shell, vault_path) -> None:
    case_id = make_case(vault_path)
    async with shell.run_test(size=SMALL) as pilot:
        await start(pilot, case_id)
        await pilot.press("d")
        await settle(pilot)
        await fill(pilot, {"recipient": "Bestuur"})
        for _press in range(6):
            await pilot.press("tab")
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        modal = shell.screen
        assert isinstance(modal, StepModal), "a disclosure before informing is refused"
        # The refusal is shown from its top, and the focus is on the dialog that holds it:
        # the arrow keys scroll through it, Tab goes on to the fields, each in view.
        assert "Dit kan nog niet worden vastgelegd" in screen_text(shell)
        dialog = modal.query_one("#dialog", VerticalScroll)
        assert shell.focused is dialog
        await pilot.press("pagedown")
        await pilot.pause()
        assert dialog.scroll_y > 0
        await pilot.press("tab")
        await settle(pilot)
        assert shell.focused is not None and shell.focused.id == "recipient"
        assert visible_in(dialog, shell.focused)


@pytest.mark.parametrize(
    ("language", "label", "step"),
    [("nl", "x Niet delen", "Besloten niet te doorbreken"), ("en", "x Don't disclose", "")],
)
async def test_closing_without_disclosing_is_in_the_footer_at_80_columns(
    vault_path, clock, language, label, step
) -> None:
    i18n.set_language(language)
    app = make_app(Settings(language=language, today_on_unlock=False), vault_path, clock=clock)
    case_id = make_case(vault_path)
    async with app.run_test(size=SMALL) as pilot:
        await open_case_file(pilot, case_id)
        await pilot.press("p")
        await settle(pilot)
        await pilot.press("5")  # "not decided yet": the procedure opened by mistake
        await settle(pilot)
        assert isinstance(app.screen, ProtocolScreen)
        footer = screen_lines(app)[-1]
        for key in ("s ", "1-8 ", "d ", label, "esc ", "^p "):
            assert key in footer, (key, footer)

        await pilot.press("x")
        await settle(pilot)
        assert isinstance(app.screen, StepModal)
        assert app.screen.kind == "abandonment"
        await fill(pilot, {"reason": "Per abuis geopend"})
        await save(pilot)
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("shift+tab", "enter")  # the dangerous choice is not the default
        await settle(pilot)
        assert isinstance(app.screen, ProtocolScreen)
        [closed] = procedures(app, case_id)
        assert closed.is_closed and closed.disclosure is None
        if step:
            assert step in screen_text(app)
        # Closed: the keys of new steps show as unavailable and open nothing.
        disabled = {key.key for key in app.screen.query(FOOTER_KEY) if key.has_class("-disabled")}
        assert {"s", "1", "d", "x"} <= disabled, disabled
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, ProtocolScreen)


async def test_the_step_menu_and_the_help_name_the_way_to_close(shell, vault_path) -> None:
    case_id = make_case(vault_path)
    async with shell.run_test(size=SMALL) as pilot:
        await start(pilot, case_id)
        missing = shown(shell, "#missing").replace("\n", " ")
        assert "per abuis geopend? x sluit haar zonder te doorbreken" in missing
        await pilot.press("s")
        await settle(pilot)
        menu = shell.screen
        assert isinstance(menu, ChoiceModal)
        await pilot.press("end")
        await pilot.pause()
        assert "Besloten niet te doorbreken" in screen_text(shell)
        assert "per abuis" in screen_text(shell)
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("f1")
        await settle(pilot)
        help_text = str(shell.screen.query_one("#help-text").render())
        assert "x sluit de procedure zonder te doorbreken" in help_text
        assert "Niet delen" in help_text  # the key's own line in the list of keys


async def test_the_shared_facts_of_a_disclosure_read_ticked_or_not(shell, vault_path) -> None:
    case_id = make_case(vault_path)
    async with shell.run_test(size=SMALL) as pilot:
        await start(pilot, case_id)
        await pilot.press("d")
        await settle(pilot)
        shared = shell.screen.query_one("#shared")
        shared.focus()
        await settle(pilot)
        await pilot.press("down", "space")  # ticks the second fact: contact details
        await settle(pilot)
        lines = screen_lines(shell)
        assert any("[ ] naam" in line for line in lines), "\n".join(lines)
        assert any("[x] contactgegevens" in line for line in lines)
        assert not any("▐X▌" in line for line in lines)
