"""Vault text is shown literally: no markup, no escape sequences, no control characters."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from rich.text import Text
from textual.app import App, ComposeResult
from textual.widgets import Static

from confidant_tui.ui.presenters.literal import literal_text, neutralise

HOSTILE = "[bold red]x[/] \x1b]52;c;aGVsbG8=\x07 \x1b[2J \x9b31m \u202eevil\r\n"


def test_markup_stays_text_and_controls_become_visible() -> None:
    text = literal_text(HOSTILE)
    assert isinstance(text, Text) and not text.spans
    assert text.plain.startswith("[bold red]x[/] ")
    assert "\x1b" not in text.plain and "\x07" not in text.plain and "\x9b" not in text.plain
    assert "\u202e" not in text.plain and "\r" not in text.plain
    assert "␛]52;c;aGVsbG8=␇" in text.plain
    assert text.plain.endswith("\n")


def test_single_line_replaces_newlines_and_tabs() -> None:
    assert neutralise("a\nb\tc", single_line=True) == "a␤b c"
    assert neutralise("a\nb\tc") == "a\nb\tc"
    assert literal_text(None).plain == ""


@given(st.text())
def test_no_control_character_survives(value: str) -> None:
    for char in neutralise(value, single_line=True):
        assert not (ord(char) < 0x20 or 0x7F <= ord(char) <= 0x9F), repr(char)


async def test_a_static_shows_markup_literally() -> None:
    class Show(App[None]):
        def compose(self) -> ComposeResult:
            yield Static(literal_text(HOSTILE), id="show")

    app = Show()
    async with app.run_test(size=(80, 5)):
        shown = str(app.query_one("#show").render())
        assert "[bold red]x[/]" in shown
        assert "\x1b" not in app.export_screenshot()
