"""Provides `LiteralTextArea` and `LiteralInput`: editors that never pass control codes on.

Textual's `TextArea` and `Input` draw their text as it is, so an escape sequence stored in
a note (or pasted in) would reach the terminal while the note is being edited. These
editors replace every control character (except newlines and tabs in the text area) by its
visible stand-in (ESC becomes "␛") when text is loaded, typed or pasted, so the adviser
sees exactly what is there and the terminal never receives a sequence.
"""

from __future__ import annotations

from typing import Any

from textual.document._document import EditResult
from textual.document._edit import Edit
from textual.widgets import Input, TextArea

from confidant_tui.ui.widgets.literal import neutralise


class LiteralTextArea(TextArea):
    """A `TextArea` whose text never holds control characters other than newline and tab."""

    def __init__(self, text: str = "", **kwargs: Any) -> None:
        super().__init__(neutralise(text), **kwargs)

    def load_text(self, text: str) -> None:
        """Loads `text` with control characters made visible."""
        super().load_text(neutralise(text))

    def edit(self, edit: Edit) -> EditResult:
        """Applies an edit (typing, pasting) with control characters made visible."""
        edit.text = neutralise(edit.text)
        return super().edit(edit)


class LiteralInput(Input):
    """An `Input` whose value never holds control characters (a single line)."""

    def validate_value(self, value: str) -> str:
        """Makes control characters in a new value visible."""
        return neutralise(value, single_line=True)
