"""Provides `literal_text`: text from the vault made safe to show, exactly as typed.

Text the adviser typed (or an imported file held) is never parsed as Rich or Textual markup
and never reaches the terminal as an escape sequence. `literal_text` returns a
`rich.text.Text` (which Textual shows without parsing markup) in which every control
character is replaced by a visible stand-in: C0 controls by their Unicode control pictures
(ESC becomes "␛"), DEL by "␡", C1 controls and the bidirectional overrides (which can
reorder what the adviser sees) by "�". Newlines and tabs are kept unless `single_line`.
Use it for every value that comes from the vault: `Static(literal_text(note.text))`,
`table.add_row(literal_text(name, single_line=True), ...)`. The substitution itself lives in
`confidant_tui.display_text`, shared with the command line.
"""

from __future__ import annotations

from rich.text import Text

from confidant_tui.display_text import neutralise

__all__ = ["literal_text", "neutralise"]


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
