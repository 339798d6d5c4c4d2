"""Provides `ChoiceModal`: pick one item from a short list, each with a one-line explanation.

Used to choose the ground of a procedure and the next protocol step: the adviser sees
what each choice means before choosing, moves with the arrow keys (or presses the item's
digit) and confirms with Enter. Dismisses with the chosen key, or None (Escape).

The list gets the height the dialog has left once the title and the introduction are
placed, so at 80x24 it scrolls (and the highlighted choice scrolls into view) instead of
running off the bottom of the dialog.
"""

from __future__ import annotations

from typing import ClassVar

from rich.console import Group
from rich.padding import Padding
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.events import Key, Resize
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from confidant_tui.i18n import N_
from confidant_tui.ui.base import BaseModal
from confidant_tui.ui.widgets.key_footer import KeyFooter


class ChoiceModal(BaseModal[str | None]):
    """A list of choices; Enter picks the highlighted one, a digit picks that item.

    Args:
        title: the question (already translated).
        choices: (key, label, explanation) triples, labels and explanations translated.
        intro: a short paragraph above the list (optional).
    """

    DEFAULT_CSS = """
    ChoiceModal { align: center middle; background: $background 60%; }
    ChoiceModal #choice-dialog {
        width: 76; max-width: 95%; height: auto; max-height: 90%;
        padding: 1 2; border: round $primary; background: $surface;
    }
    ChoiceModal #choice-title { text-style: bold; margin-bottom: 1; }
    ChoiceModal #choice-intro { margin-bottom: 1; color: $text-muted; }
    ChoiceModal OptionList { height: auto; }
    """
    DIGITS = 9
    """Choices 1 to 9 have a digit; later ones are reached with the arrow keys."""
    BINDINGS: ClassVar = [Binding("escape", "cancel", N_("Cancel"))]

    def __init__(self, title: str, choices: list[tuple[str, str, str]], *, intro: str = "") -> None:
        super().__init__()
        self._title = title
        self._choices = choices
        self._intro = intro

    def compose(self) -> ComposeResult:
        with Vertical(id="choice-dialog"):
            yield Static(Text(self._title), id="choice-title")
            if self._intro:
                yield Static(Text(self._intro), id="choice-intro")
            options = []
            for number, (key, label, explanation) in enumerate(self._choices, start=1):
                digit = str(number) if number <= self.DIGITS else ""
                prompt = Text(f"{digit:<3}", style="bold")
                prompt.append(label, style="bold")
                if explanation:
                    # The explanation wraps under the label, not under the digit.
                    shown = Padding(Text(explanation, style="italic"), (0, 0, 0, 3))
                    options.append(Option(Group(prompt, shown), id=key))
                else:
                    options.append(Option(prompt, id=key))
            yield OptionList(*options, id="choices")
        yield KeyFooter()  # the dialog's keys, over the footer of the screen below

    def on_mount(self) -> None:
        choices = self.query_one("#choices", OptionList)
        choices.focus()
        choices.highlighted = 0
        self.call_after_refresh(self._fit)

    def on_resize(self, event: Resize) -> None:
        """Gives the list the room left in the dialog at the new size."""
        self.call_after_refresh(self._fit)

    def _fit(self) -> None:
        """Limits the list's height to what the dialog has left (at least 3 lines)."""
        dialog = self.query_one("#choice-dialog")
        choices = self.query_one("#choices", OptionList)
        # The dialog's 90% is of the screen above the footer (docked: not part of the layout).
        above_footer = self.size.height - self.query_one(KeyFooter).outer_size.height
        room = int(above_footer * 0.9) - dialog.styles.gutter.height
        for child in dialog.children:
            if child is not choices:
                room -= child.outer_size.height + child.styles.margin.height
        height = max(3, room)
        if choices.styles.max_height != height:
            choices.styles.max_height = height
            if choices.highlighted is not None:
                self.call_after_refresh(choices.scroll_to_highlight)

    def on_key(self, event: Key) -> None:
        """A digit picks the item with that number."""
        if event.character and event.character in "123456789"[: self.DIGITS]:
            index = int(event.character) - 1
            if 0 <= index < len(self._choices):
                event.stop()
                self.dismiss(self._choices[index][0])

    @on(OptionList.OptionSelected, "#choices")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        """Closes without choosing."""
        self.dismiss(None)
