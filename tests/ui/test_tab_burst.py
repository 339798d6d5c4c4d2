"""Tab typed in a burst with text ("name Tab contact", as a fast typist or a paste sends it)
moves to the next field before the text after it is typed: Textual gives the letters to the
focused field before the Tab comes back up to its binding, so without the app moving the
focus itself every letter landed in the first field."""

from __future__ import annotations

from pathlib import Path

from textual import events
from textual.app import App
from textual.widgets import Input

from confidant_tui.settings import Settings
from confidant_tui.ui.app import make_app
from confidant_tui.ui.modals.identity import IdentityModal
from tests.ui.conftest import settle, unlock


def burst(app: App[object], *keys: str) -> None:
    """Posts the keys at once, as a terminal's input parser does with one read."""
    characters = {"tab": "\t", "shift+tab": None}
    for key in keys:
        event = events.Key(key, characters.get(key, key))
        event.set_sender(app)
        app.post_message(event)


async def test_a_tab_in_a_burst_moves_on_before_the_next_letters(demo_path: Path) -> None:
    app = make_app(Settings(today_on_unlock=False), demo_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("I")
        await settle(pilot)
        assert isinstance(app.screen, IdentityModal)
        burst(app, "A", "n", "n", "a", "tab", "a", "@", "b", ".", "n", "l")
        await settle(pilot)
        fields = {field.id: field.value for field in app.screen.query(Input)}
        assert fields["name"] == "Anna"
        assert fields["contact"] == "a@b.nl"

        # A field selects its text when it gets the focus, so what is typed replaces it.
        burst(app, "shift+tab", "B", "e", "a")
        await settle(pilot)
        fields = {field.id: field.value for field in app.screen.query(Input)}
        assert fields == {"name": "Bea", "contact": "a@b.nl"}, "Shift+Tab goes back at once"
