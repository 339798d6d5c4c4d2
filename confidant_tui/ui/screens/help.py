"""Provides `HelpScreen` (F1): what the screen below is for, its keys, and every command.

The content is built from what already exists: the `HELP` paragraph of the screen below,
the descriptions of its active key bindings, and the palette commands. A new screen gets
its help by defining `HELP` and giving its bindings descriptions.
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.keys import key_to_character
from textual.widgets import Header, Static

from confidant_tui.i18n import N_, _
from confidant_tui.i18n import _ as translate
from confidant_tui.ui.base import BaseScreen
from confidant_tui.ui.bindings import LocalisedBindings
from confidant_tui.ui.commands import COMMANDS, PaletteCommand
from confidant_tui.ui.language import declared_by_confidant
from confidant_tui.ui.widgets.key_footer import KeyFooter

_TEXTUAL_ACTIONS = frozenset({"app.focus_next", "app.focus_previous", "screen.copy_text"})
"""Textual's own screen keys; Tab is explained once, copying is not advertised."""


_MODIFIERS = {"ctrl": "Ctrl", "shift": "Shift", "alt": "Alt", "meta": "Meta"}
_KEY_NAMES = {
    "escape": "Esc",
    "enter": "Enter",
    "tab": "Tab",
    "space": "Space",
    "backspace": "Backspace",
    "delete": "Del",
    "insert": "Ins",
    "home": "Home",
    "end": "End",
    "pageup": "PgUp",
    "pagedown": "PgDn",
    "up": "↑",
    "down": "↓",
    "left": "←",
    "right": "→",
    "slash": "/",
    "backslash": "\\",
    "plus": "+",
    "minus": "-",
}


def key_label(key: str) -> str:
    """Writes a Textual key as the adviser types it: "c" stays "c", "slash" is "/",
    "ctrl+l" is "Ctrl+L", "escape" is "Esc", "f1" is "F1" (only the first of "a,b")."""
    *modifiers, last = key.split(",")[0].strip().split("+")
    if last in _KEY_NAMES:
        name = _KEY_NAMES[last]
    elif len(last) == 1:
        name = last.upper() if modifiers else last
    elif re.fullmatch(r"f\d{1,2}", last):
        name = last.upper()
    else:
        name = key_to_character(last) or last.replace("_", " ").capitalize()
    return "+".join([*(_MODIFIERS.get(part, part.capitalize()) for part in modifiers), name])


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
        width = max(40, min(_WIDEST, self.app.size.width - _MARGIN))
        text = Text()
        below = self._below()
        if below is not None and below.HELP:
            text.append(translate(below.HELP) + "\n\n")
        text.append(_("Keys on this screen") + "\n", style="bold")
        keys = _screen_keys(below)
        keys.append(("Tab", _("next field (Shift+Tab: previous)")))
        _table(text, [(label, "", description) for label, description in keys], width, 10)
        text.append("\n" + _("Commands (Ctrl+P, then type)") + "\n", style="bold")
        listed = {label for label, _description in keys}
        commands = [
            (
                translate(command.title),
                _command_key(command, below, listed),
                translate(command.help),
            )
            for command in COMMANDS
        ]
        _table(text, commands, width, 16)
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


def _screen_keys(below: BaseScreen | None) -> list[tuple[str, str]]:
    """The keys of the screen below as (key, description): those with a description that
    Confidant declares, one per description, Textual's own screen keys left out."""
    keys: list[tuple[str, str]] = []
    seen: set[str] = set()
    for active in below.active_bindings.values() if below is not None else ():
        binding = active.binding
        if (
            not binding.description
            or binding.system
            or binding.description in seen
            or binding.action in _TEXTUAL_ACTIONS
            or not isinstance(active.node, LocalisedBindings)
            or not declared_by_confidant(active.node, binding)
        ):
            continue
        seen.add(binding.description)
        keys.append((binding.key_display or key_label(binding.key), binding.description))
    return keys


def _command_key(command: PaletteCommand, below: BaseScreen | None, listed: set[str]) -> str:
    """The key written beside a palette command: only one that runs the command on the
    screen below and is not already among its keys (listed once, there). A command's key
    belongs to the screen that binds it (d on the case list); on another screen the same
    letter does something else (d on the case file adds a referral) or nothing, and the
    command is reached through Ctrl+P."""
    if command.key is None or below is None:
        return ""
    label = key_label(command.key)
    if label in listed:
        return ""
    app = below.app
    for active in below.active_bindings.values():
        action = active.binding.action
        if active.node is not app and not action.startswith("app."):
            continue
        if key_label(active.binding.key) == label and action.removeprefix("app.") == command.action:
            return label
    return ""


_MARGIN = 6
"""Columns the help text leaves free: its padding and the scroll bar."""
_WIDEST = 96
"""The help text's widest (`max-width` in help.tcss)."""


def _table(text: Text, rows: list[tuple[str, str, str]], width: int, narrowest: int) -> None:
    """Appends `rows` (a name in bold, a key, an explanation) as aligned columns, the names
    `narrowest` wide or more; an explanation too long for the line wraps under its column."""
    name_width = max(narrowest, max(len(name) for name, _key, _help in rows) + 2)
    key_width = max((len(key) for _name, key, _help in rows), default=0)
    key_width = key_width + 2 if key_width else 0
    indent = 2 + name_width + key_width
    room = max(20, width - indent)
    for name, key, explanation in rows:
        text.append("  " + name.ljust(name_width), style="bold")
        text.append(key.ljust(key_width))
        lines = textwrap.wrap(explanation, room) or [""]
        text.append(lines[0] + "\n")
        for line in lines[1:]:
            text.append(" " * indent + line + "\n")
