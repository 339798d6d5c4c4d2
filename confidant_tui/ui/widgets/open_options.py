"""Provides `OpenOptions`: an option list whose Enter (open) shows in the footer while it has
the focus, as the case list's does.

Textual's `OptionList` binds Enter without showing it; the today view and the search results
are lists whose rows are opened with Enter, so they say so. Home and End (also with Ctrl) go
to the first and last row.
"""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding
from textual.widgets import OptionList

from confidant_tui.i18n import N_
from confidant_tui.ui.bindings import LocalisedBindings


class OpenOptions(LocalisedBindings, OptionList, inherit_bindings=False):
    """An option list whose rows are opened with Enter, shown in the footer."""

    BINDINGS: ClassVar = [
        Binding("enter", "select", N_("Open"), show=True),
        Binding("up", "cursor_up", show=False),
        Binding("down", "cursor_down", show=False),
        Binding("pageup", "page_up", show=False),
        Binding("pagedown", "page_down", show=False),
        Binding("home,ctrl+home", "first", show=False),
        Binding("end,ctrl+end", "last", show=False),
    ]
