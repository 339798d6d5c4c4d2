"""Provides `highlighted`: a search snippet as `Text` with the matched words marked.

The snippet is plain text from the vault; the marks come from the search's (start, end)
spans, never from markup in the text, so a note holding "[bold]" shows "[bold]".
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.text import Text

from confidant_tui.ui.presenters.literal import neutralise

MATCH_STYLE = "bold reverse"
"""How a matched word stands out (works in every theme and without colour)."""


def highlighted(snippet: str, spans: Iterable[tuple[int, int]], style: str = MATCH_STYLE) -> Text:
    """Builds the snippet as literal text with `style` over each matched span.

    Args:
        snippet: plain text (newlines become visible marks, controls stand-ins).
        spans: (start, end) character offsets of the matches in `snippet`.
        style: the style of a match.

    Returns:
        A `Text` safe to show; offsets stay valid because neutralising keeps the length.
    """
    flat = snippet.replace("\r\n", " \n").replace("\n", " ").replace("\r", " ")
    text = Text(neutralise(flat, single_line=True), end="")
    length = len(text)
    for start, end in spans:
        start, end = max(0, start), min(length, end)
        if start < end:
            text.stylize(style, start, end)
    return text
