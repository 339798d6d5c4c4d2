"""Provides `DraftOfferModal`: after unlocking, offers back a draft stored in the vault.

"You have a draft of a new intake from 23-11-2026 14:05: continue editing / discard /
later". Continue editing is the default button, so a reflexive Enter never loses text;
Escape (later) keeps the draft for the next unlock.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static

from confidant_tui.i18n import N_, _, format_moment
from confidant_tui.services.drafts import Draft
from confidant_tui.ui.base import BaseModal
from confidant_tui.ui.presenters.draft_labels import describe
from confidant_tui.ui.presenters.literal import literal_text
from confidant_tui.ui.widgets.key_footer import KeyFooter

RESTORE = "restore"
DISCARD = "discard"
LATER = "later"


class DraftOfferModal(BaseModal[str]):
    """Asks what to do with one stored draft; dismisses with RESTORE, DISCARD or LATER.

    Args:
        draft: the stored draft.
    """

    CSS_PATH = Path(__file__).with_suffix(".tcss")
    BINDINGS: ClassVar = [Binding("escape", "later", N_("Later"))]

    def __init__(self, draft: Draft) -> None:
        super().__init__()
        self.draft = draft

    def compose(self) -> ComposeResult:
        question = _("You have a draft of {what} from {moment}.").format(
            what=describe(self.draft.kind, self.draft.case_code),
            moment=format_moment(self.draft.created),
        )
        with Vertical(id="dialog"):
            yield Static(literal_text(question), id="question")
            with Horizontal(id="buttons"):
                yield Button(_("Continue editing"), id="restore", variant="primary")
                yield Button(_("Discard"), id="discard", variant="error")
                yield Button(_("Later"), id="later")
        yield KeyFooter()  # the dialog's keys, over the footer of the screen below

    def on_mount(self) -> None:
        self.query_one("#restore", Button).focus()

    @on(Button.Pressed, "#restore")
    def _restore(self) -> None:
        self.dismiss(RESTORE)

    @on(Button.Pressed, "#discard")
    def _discard(self) -> None:
        self.dismiss(DISCARD)

    @on(Button.Pressed, "#later")
    def action_later(self) -> None:
        """Keeps the draft for the next unlock (Escape)."""
        self.dismiss(LATER)
