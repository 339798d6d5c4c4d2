"""Provides `ErrorModal`: how every error the adviser may meet is shown in the app."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Button, Static

from confidant_tui.i18n import N_, _
from confidant_tui.ui.base import BaseModal
from confidant_tui.ui.presenters.literal import literal_text
from confidant_tui.ui.widgets.key_footer import KeyFooter


class ErrorModal(BaseModal[None]):
    """Shows an error message (already translated) with its problems, until dismissed.

    Args:
        message: the error's message, shown literally.
        problems: (field, message) pairs of a `ValidationError`, shown as a list.
        title: the heading (default "Something went wrong").
    """

    CSS_PATH = Path(__file__).with_suffix(".tcss")
    BINDINGS: ClassVar = [
        Binding("escape", "close", N_("Close")),
        Binding("enter", "close", N_("Close")),
    ]

    def __init__(
        self,
        message: str,
        problems: list[tuple[str, str]] | None = None,
        *,
        title: str | None = None,
    ) -> None:
        super().__init__()
        self._title = title or _("Something went wrong")
        self._message = message
        self._problems = list(problems or [])

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(literal_text(self._title, single_line=True, style="bold"), id="title")
            yield Static(literal_text(self._message), id="message")
            if self._problems:
                lines = Text()
                for _field, problem in self._problems:
                    lines.append_text(literal_text("• " + problem + "\n"))
                yield Static(lines, id="problems")
            yield Button(_("Close"), id="close", variant="primary")
        yield KeyFooter()  # the dialog's keys, over the footer of the screen below

    def on_mount(self) -> None:
        self.query_one("#close", Button).focus()

    @on(Button.Pressed, "#close")
    def action_close(self) -> None:
        """Closes the dialog."""
        self.dismiss(None)
