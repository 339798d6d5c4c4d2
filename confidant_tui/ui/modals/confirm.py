"""Provides `ConfirmModal`: the one yes/no question of Confidant, returning a bool."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static

from confidant_tui.i18n import N_, _
from confidant_tui.ui.base import BaseModal
from confidant_tui.ui.presenters.literal import literal_text
from confidant_tui.ui.textual_private import bindings_of, set_bindings
from confidant_tui.ui.widgets.key_footer import KeyFooter


class ConfirmModal(BaseModal[bool]):
    """Asks a question; dismisses with True (confirm) or False (cancel, Escape).

    The dialog has no letter keys, so a sentence still being typed when it appears never
    answers it (keys typed while it is being built are dropped, see `ui/bindings.py`).
    A question whose "yes" records something or cannot be undone starts on the cancelling
    button (Textual focuses it as the dialog is composed), so a reflexive Enter never
    commits or loses anything: confirming takes a deliberate Tab and Enter, or a click.

    Args:
        question: the question; shown literally (no markup), so it may quote vault text.
        confirm: the label of the confirming button (default "Yes").
        cancel: the label of the cancelling button (default "Cancel").
        danger: the confirmation cannot be undone (discarding typed text, recording a final
            step): the confirming button is styled as destructive and the focus starts on
            the cancelling one.
        safe_default: start on the cancelling button without the destructive style (a
            confirmation that records something, e.g. that confidentiality was explained).
    """

    CSS_PATH = Path(__file__).with_suffix(".tcss")
    BINDINGS: ClassVar = [Binding("escape", "cancel", N_("Cancel"))]
    AUTO_FOCUS = "Button.initial-focus"
    """Textual focuses the default button as soon as the dialog is composed."""

    def __init__(
        self,
        question: str | Text,
        *,
        confirm: str | None = None,
        cancel: str | None = None,
        danger: bool = False,
        safe_default: bool = False,
    ) -> None:
        super().__init__()
        self._question = question if isinstance(question, Text) else literal_text(question)
        self._confirm = confirm or _("Yes")
        self._cancel = cancel or _("Cancel")
        self._danger = danger
        self._safe_default = danger or safe_default
        # The footer names Escape as the cancelling button does ("Keep editing"): the key
        # that opened a discarding question was itself called "Cancel".
        set_bindings(
            self,
            (
                replace(binding, description=self._cancel)
                if binding.action == "cancel"
                else binding
                for _key, binding in bindings_of(self)
            ),
        )

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(self._question, id="question")
            with Horizontal(id="buttons"):
                yield Button(
                    self._confirm,
                    id="confirm",
                    variant="error" if self._danger else "primary",
                    classes="" if self._safe_default else "initial-focus",
                )
                yield Button(
                    self._cancel, id="cancel", classes="initial-focus" if self._safe_default else ""
                )
        yield KeyFooter()  # the dialog's keys, over the footer of the screen below

    def on_mount(self) -> None:
        self.query_one("Button.initial-focus", Button).focus()

    @on(Button.Pressed, "#confirm")
    def _confirmed(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        """Closes the dialog without confirming."""
        self.dismiss(False)
