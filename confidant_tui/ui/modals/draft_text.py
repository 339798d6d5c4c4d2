"""Provides `DraftTextModal`: the text of a dialog that was open when the app had to stop.

A dialog cannot be rebuilt as it was (it depends on the case at the moment it opened), so
its fields are shown read-only: the adviser opens the dialog again and copies what is
needed (selecting and Ctrl+C copy inside Confidant). The draft is kept until the adviser
says it may go.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Static

from confidant_tui.i18n import N_, _
from confidant_tui.services.drafts import Draft
from confidant_tui.ui.base import BaseModal
from confidant_tui.ui.presenters.literal import literal_text
from confidant_tui.ui.widgets.key_footer import KeyFooter
from confidant_tui.ui.widgets.literal_fields import LiteralTextArea


class DraftTextModal(BaseModal[bool]):
    """Shows a dialog draft; dismisses with True (the draft may go) or False (keep it).

    Args:
        draft: a stored draft of kind "dialog".
    """

    CSS_PATH = Path(__file__).with_suffix(".tcss")
    BINDINGS: ClassVar = [Binding("escape", "keep", N_("Keep for later"))]

    def __init__(self, draft: Draft) -> None:
        super().__init__()
        self.draft = draft

    def compose(self) -> ComposeResult:
        title = str(self.draft.snapshot.get("title") or "")
        fields = self.draft.snapshot.get("fields") or []
        with Vertical(id="dialog"):
            yield Static(Text(_("Text of an interrupted dialog"), style="bold"))
            yield Static(literal_text(title, single_line=True), id="title")
            with VerticalScroll(id="fields"):
                for item in fields if isinstance(fields, list) else []:
                    if not isinstance(item, dict):
                        continue
                    label = str(item.get("label") or "")
                    yield Static(literal_text(label, single_line=True), classes="label")
                    yield LiteralTextArea(
                        str(item.get("value") or ""), read_only=True, soft_wrap=True
                    )
            with Horizontal(id="buttons"):
                yield Button(_("Keep for later"), id="keep", variant="primary")
                yield Button(_("Done: discard this text"), id="done", variant="error")
        yield KeyFooter()  # the dialog's keys, over the footer of the screen below

    def on_mount(self) -> None:
        self.query_one("#keep", Button).focus()

    @on(Button.Pressed, "#done")
    def _done(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#keep")
    def action_keep(self) -> None:
        """Keeps the draft; it is offered again at the next unlock (Escape)."""
        self.dismiss(False)
