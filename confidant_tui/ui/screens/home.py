"""Provides `HomeScreen`: the first screen after unlocking (a welcome until the case list)."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Footer, Header, Static

from confidant_tui.i18n import N_, _
from confidant_tui.ui.screens.base import BaseScreen
from confidant_tui.ui.widgets.literal import literal_text


class HomeScreen(BaseScreen):
    """The start screen: whose register this is and the keys that matter."""

    CSS_PATH = Path(__file__).with_suffix(".tcss")
    HELP = N_(
        "This is the start screen. Everything Confidant can do is in the command palette "
        "(Ctrl+P): type a few letters of what you want."
    )

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="welcome"):
            yield Static(_("Welcome to Confidant"), id="title")
            settings = getattr(self.app, "settings", None)
            if settings is not None:
                yield Static(
                    literal_text(
                        _("Case register of {organisation}").format(
                            organisation=settings.organisation
                        ),
                        single_line=True,
                    ),
                    id="organisation",
                )
            yield Static(self._hints(), id="hints")
        yield Footer()

    def _hints(self) -> Text:
        rows = [
            ("Ctrl+P", _("all commands: type what you are looking for")),
            ("F1", _("help and the list of keys")),
            ("Ctrl+L", _("lock now; your passphrase opens it again")),
            ("Ctrl+Q", _("lock and quit")),
        ]
        text = Text()
        for key, meaning in rows:
            text.append(f"{key:<8}", style="bold")
            text.append(meaning + "\n")
        return text
