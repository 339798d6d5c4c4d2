"""Provides `LiteralTextArea` and `LiteralInput`: editors that show control codes, store bytes.

Textual's `TextArea` and `Input` draw their text as it is, so an escape sequence stored in
a note (or pasted in) would reach the terminal while the note is being edited. These
editors *show* every control character (except newlines and tabs in the text area) as its
visible stand-in (ESC becomes "␛"), so the adviser sees exactly what is there and the
terminal never receives a sequence.

What they *give back* for storage is a different matter: `stored_text` / `stored_value`
return the text as it was loaded, byte for byte, with only the adviser's edit applied.
The widget's own document cannot hold the original: Textual's `Document` splits lines on
every character `str.splitlines` knows (CR, CR LF, VT, FF, FS, GS, RS, NEL, U+2028/2029)
and joins them again with one newline style, so raw text would be changed by loading
alone. Instead each editor remembers the original as one piece per shown character
(`shown_with_sources`; a CR LF pair is one piece shown as a plain newline) and, when
asked for the stored text, compares the text shown at loading with the text now
(`restore`): every stretch the adviser left alone maps back to its original pieces, every
stretch typed, pasted or replaced is taken as shown. This works whatever path the edit
took (typing, pasting, undo, redo, cut), because it looks only at the two texts.
"""

from __future__ import annotations

from difflib import SequenceMatcher
from typing import Any

from textual.widgets import Input, TextArea
from textual.widgets.text_area import Edit, EditResult

from confidant_tui.ui.presenters.literal import neutralise

_LINE_SEPARATORS = str.maketrans({"\u2028": "\ufffd", "\u2029": "\ufffd"})
"""Line breaks `neutralise` keeps but a `Document` would split on: shown as "�"."""


def shown_with_sources(text: str, *, single_line: bool = False) -> tuple[str, list[str]]:
    """The text as the editor shows it, and the original piece behind each shown character.

    Args:
        text: the text as stored.
        single_line: for an `Input` (newlines and tabs shown as stand-ins too).

    Returns:
        `(shown, sources)` with `len(sources) == len(shown)` and `"".join(sources) == text`.
    """
    pieces = [text] if single_line else text.split("\r\n")
    shown: list[str] = []
    sources: list[str] = []
    for number, piece in enumerate(pieces):
        if number:
            shown.append("\n")
            sources.append("\r\n")
        shown.append(neutralise(piece, single_line=single_line).translate(_LINE_SEPARATORS))
        sources.extend(piece)
    return "".join(shown), sources


def restore(sources: list[str], shown_before: str, shown_now: str) -> str:
    """The stored text after an edit: original pieces where nothing changed, new text elsewhere.

    Args:
        sources: the original piece behind each character of `shown_before`.
        shown_before: the text the editor showed when it was loaded.
        shown_now: the text the editor shows now.
    """
    if shown_now == shown_before:
        return "".join(sources)
    head = 0
    limit = min(len(shown_before), len(shown_now))
    while head < limit and shown_before[head] == shown_now[head]:
        head += 1
    tail = 0
    while tail < limit - head and shown_before[-1 - tail] == shown_now[-1 - tail]:
        tail += 1
    before_middle = shown_before[head : len(shown_before) - tail]
    now_middle = shown_now[head : len(shown_now) - tail]
    parts = sources[:head]
    matcher = SequenceMatcher(None, before_middle, now_middle, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            parts.extend(sources[head + i1 : head + i2])
        else:
            parts.append(now_middle[j1:j2])
    parts.extend(sources[len(shown_before) - tail :])
    return "".join(parts)


class LiteralTextArea(TextArea):
    """A `TextArea` that shows control characters as symbols and stores them as they were."""

    def __init__(self, text: str = "", **kwargs: Any) -> None:
        shown, self._sources = shown_with_sources(text)
        self._shown = shown
        super().__init__(shown, **kwargs)

    def load_text(self, text: str) -> None:
        """Loads stored `text`: shown with visible control characters, kept for `stored_text`."""
        shown, self._sources = shown_with_sources(text)
        self._shown = shown
        super().load_text(shown)

    def edit(self, edit: Edit) -> EditResult:
        """Applies an edit (typing, pasting) with control characters made visible."""
        edit.text = neutralise(edit.text)
        return super().edit(edit)

    @property
    def stored_text(self) -> str:
        """The text to store: as loaded, byte for byte, with the adviser's edits applied."""
        return restore(self._sources, self._shown, self.text)


class LiteralInput(Input):
    """An `Input` that shows control characters as symbols and stores them as they were.

    Set a stored value with `load` (or the constructor), read it back with `stored_value`;
    `value` is what the field shows.
    """

    def __init__(self, value: str | None = None, *args: Any, **kwargs: Any) -> None:
        shown, self._sources = shown_with_sources(value or "", single_line=True)
        self._shown = shown
        super().__init__(shown, *args, **kwargs)

    def validate_value(self, value: str) -> str:
        """Makes control characters in a new value visible."""
        return neutralise(value, single_line=True)

    def load(self, value: str) -> None:
        """Shows stored `value` (control characters visible) and keeps it for `stored_value`."""
        shown, self._sources = shown_with_sources(value, single_line=True)
        self._shown = shown
        self.value = shown

    @property
    def stored_value(self) -> str:
        """The value to store: as loaded, byte for byte, with the adviser's edits applied."""
        return restore(self._sources, self._shown, self.value)
