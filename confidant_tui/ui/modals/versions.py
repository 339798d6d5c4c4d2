"""Provides `VersionsModal`: the earlier texts of an edited conversation, read-only."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Button, Static

from confidant_tui.domain.cases import ConversationVersion
from confidant_tui.i18n import N_, _, format_date
from confidant_tui.ui.base import BaseModal
from confidant_tui.ui.presenters.literal import literal_text
from confidant_tui.ui.widgets.key_footer import KeyFooter

TEXT_LABELS = (("notes", N_("Notes")), ("advice", N_("Advice")), ("next_steps", N_("Next steps")))


class VersionsModal(BaseModal[None]):
    """Shows each earlier version of a conversation's texts, oldest first.

    Args:
        versions: the earlier versions (from `conversation_versions`).
    """

    CSS_PATH = Path(__file__).with_suffix(".tcss")
    BINDINGS: ClassVar = [Binding("escape", "close", N_("Close"))]

    def __init__(self, versions: list[ConversationVersion]) -> None:
        super().__init__()
        self.versions = versions

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(Text(_("Earlier versions of this conversation"), style="bold"))
            with VerticalScroll(id="versions"):
                if not self.versions:
                    yield Static(Text(_("This conversation was never edited.")))
                for version in self.versions:
                    yield Static(version_text(version), classes="version")
            yield Button(_("Close"), id="close", variant="primary")
        yield KeyFooter()  # the dialog's keys, over the footer of the screen below

    def on_mount(self) -> None:
        self.query_one("#versions").focus()

    @on(Button.Pressed, "#close")
    def action_close(self) -> None:
        """Closes the dialog."""
        self.dismiss(None)


def version_text(version: ConversationVersion) -> Text:
    """One earlier version as literal text under a heading."""
    text = Text()
    heading = _("Version {number}, replaced on {date}").format(
        number=version.version, date=format_date(version.replaced_on)
    )
    text.append(heading + "\n", style="bold")
    for name, label in TEXT_LABELS:
        value = getattr(version, name)
        if value:
            text.append(_(label) + ": ", style="italic")
            text.append_text(literal_text(value))
            text.append("\n")
    return text
