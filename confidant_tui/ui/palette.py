"""Provides `LocalisedPalette`: Textual's command palette with its own texts translated.

Textual writes two texts of the palette in English whatever the language: the placeholder of
the search field ("Search for commands…", a constructor argument) and the line shown when
nothing matches ("No matches found", added to the list as a disabled option whose id is
`NO_MATCHES_ID`). This palette passes a translated placeholder and its result list swaps
that option for a translated one as it is added. `tests/ui/test_day_texts.py` fails when a
Textual upgrade changes either.
"""

from __future__ import annotations

from typing import Any, Self

from rich.align import Align
from rich.text import Text
from textual.app import ComposeResult
from textual.command import CommandInput, CommandList, CommandPalette, SearchIcon
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, LoadingIndicator
from textual.widgets.option_list import Option

from confidant_tui.i18n import _

NO_MATCHES_ID = "--no-matches"
"""The id Textual gives the "No matches found" option (`CommandPalette._NO_MATCHES`)."""


class LocalisedCommandList(CommandList):
    """The palette's result list; the "No matches found" line in the adviser's language."""

    def add_option(self, option: Any = None) -> Self:
        """Adds `option`; Textual's "No matches found" becomes the translated line."""
        if isinstance(option, Option) and option.id == NO_MATCHES_ID:
            option = Option(
                Align.center(Text(_("No matches found"), style="not bold")),
                disabled=True,
                id=NO_MATCHES_ID,
            )
        return super().add_option(option)


class LocalisedPalette(CommandPalette):
    """The command palette with its placeholder and "no matches" line translated."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("placeholder", _("Search for commands…"))
        super().__init__(**kwargs)
        self._search_placeholder = kwargs["placeholder"]

    def compose(self) -> ComposeResult:
        """Textual's palette (`CommandPalette.compose`) with the translated result list."""
        with Vertical(id="--container"):
            with Horizontal(id="--input"):
                yield SearchIcon()
                yield CommandInput(placeholder=self._search_placeholder, select_on_focus=False)
                if not self.run_on_select:
                    yield Button("\u25b6")
            with Vertical(id="--results"):
                yield LocalisedCommandList()
                yield LoadingIndicator()
