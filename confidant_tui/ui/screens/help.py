"""Provides `HelpScreen` (F1): what the screen below is for, its keys, and every command.

The content is built from what already exists: the `HELP` paragraph of the screen below,
the descriptions of its active key bindings, and the palette commands. A new screen gets
its help by defining `HELP` and giving its bindings descriptions.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Header, Static

from confidant_tui.i18n import N_, _
from confidant_tui.i18n import _ as translate
from confidant_tui.ui.base import BaseScreen
from confidant_tui.ui.bindings import LocalisedBindings
from confidant_tui.ui.commands import COMMANDS
from confidant_tui.ui.widgets.key_footer import KeyFooter

_TEXTUAL_ACTIONS = frozenset({"app.focus_next", "app.focus_previous", "screen.copy_text"})
"""Textual's own screen keys; Tab is explained once, copying is not advertised."""


def key_label(key: str) -> str:
    """Writes a Textual key as people read it: "ctrl+l" as "Ctrl+L", "f1" as "F1"."""
    first = key.split(",")[0]
    names = {"ctrl": "Ctrl", "shift": "Shift", "alt": "Alt", "escape": "Esc", "enter": "Enter"}
    return "+".join(
        names.get(part, part.upper() if len(part) <= 3 else part.capitalize())
        for part in first.split("+")
    )


class HelpScreen(BaseScreen):
    """Help for the screen it was opened from.

    Keys are listed from the bindings of Confidant's own screens, dialogs and widgets (those
    deriving from `LocalisedBindings`); the editing keys of Textual's widgets are not.
    """

    CSS_PATH = Path(__file__).with_suffix(".tcss")
    BINDINGS: ClassVar = [
        Binding("escape", "app.pop_screen", N_("Back")),
        Binding("f1", "app.pop_screen", N_("Back"), show=False),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="help"):
            yield Static(self._content(), id="help-text")
        yield KeyFooter()

    def _below(self) -> BaseScreen | None:
        stack = self.app.screen_stack
        if self in stack:
            index = stack.index(self)
            below = stack[index - 1] if index > 0 else None
        else:
            below = stack[-1] if stack else None
        return below if isinstance(below, BaseScreen) else None

    def _content(self) -> Text:
        text = Text()
        below = self._below()
        if below is not None and below.HELP:
            text.append(translate(below.HELP) + "\n\n")
        text.append(_("Keys on this screen") + "\n", style="bold")
        seen: set[str] = set()
        if below is not None:
            for active in below.active_bindings.values():
                binding = active.binding
                if (
                    not binding.description
                    or binding.system
                    or binding.description in seen
                    or binding.action in _TEXTUAL_ACTIONS
                    or not isinstance(active.node, LocalisedBindings)
                ):
                    continue
                seen.add(binding.description)
                label = binding.key_display or key_label(binding.key)
                text.append(f"  {label:<10}", style="bold")
                text.append(binding.description + "\n")
        text.append(f"  {'Tab':<10}", style="bold")
        text.append(_("next field (Shift+Tab: previous)") + "\n")
        text.append("\n" + _("Commands (Ctrl+P, then type)") + "\n", style="bold")
        for command in COMMANDS:
            key = key_label(command.key) if command.key else ""
            text.append(f"  {translate(command.title):<16}", style="bold")
            text.append(f"{key:<8}")
            text.append(translate(command.help) + "\n")
        text.append("\n" + _("Security") + "\n", style="bold")
        text.append(
            _(
                "Confidant locks itself after the idle minutes set in Settings. While locked "
                "nothing of your cases is on the screen. Copying works only inside Confidant: "
                "nothing goes to the system clipboard, and a passphrase cannot be copied."
            )
            + "\n"
        )
        return text
