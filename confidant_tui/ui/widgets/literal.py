"""Provides `literal_text`: text from the vault made safe to show, exactly as typed.

Text the adviser typed (or an imported file held) is never parsed as Rich or Textual markup
and never reaches the terminal as an escape sequence. `literal_text` returns a
`rich.text.Text` (which Textual shows without parsing markup) in which every control
character is replaced by a visible stand-in: C0 controls by their Unicode control pictures
(ESC becomes "␛"), DEL by "␡", C1 controls and the bidirectional overrides (which can
reorder what the adviser sees) by "�". Newlines and tabs are kept unless `single_line`.
Use it for every value that comes from the vault: `Static(literal_text(note.text))`,
`table.add_row(literal_text(name, single_line=True), ...)`.
"""

from __future__ import annotations

from rich.text import Text

_REPLACEMENT = "\ufffd"
_BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)


def _stand_in(char: str, single_line: bool) -> str:
    code = ord(char)
    if char == "\n":
        return "\u2424" if single_line else char
    if char == "\t":
        return " " if single_line else char
    if code < 0x20:
        return chr(0x2400 + code)
    if code == 0x7F:
        return "\u2421"
    if 0x80 <= code <= 0x9F or char in _BIDI_CONTROLS:
        return _REPLACEMENT
    return char


def neutralise(value: str, *, single_line: bool = False) -> str:
    """Returns `value` with every control character replaced by a visible stand-in.

    Args:
        value: text from the vault.
        single_line: also replace newlines ("␤") and tabs (a space), for table cells.
    """
    if value.isprintable() and not single_line:
        return value
    return "".join(_stand_in(char, single_line) for char in value)


def literal_text(value: str | None, *, single_line: bool = False, style: str = "") -> Text:
    """Turns vault text into a `Text` shown literally: no markup, no escape sequences.

    Args:
        value: text from the vault (None shows as empty).
        single_line: replace newlines and tabs too (table cells, titles).
        style: a Rich style for the whole text (e.g. "bold"); never taken from the value.

    Returns:
        A `rich.text.Text` safe to give to `Static`, `Label`, `DataTable` cells and so on.
    """
    return Text(neutralise(value or "", single_line=single_line), style=style, end="")
