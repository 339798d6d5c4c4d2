"""Provides `IdentityModal`: the reporter's name and contact, changed from the case file.

The identity stays hidden by default (DOMAIN.md §7): the dialog says only whether one is
recorded, and shows it after the adviser asks (the Show button), unless the case file
already shows it. A new identity can be typed at once when none is recorded. Emptying both
fields erases it, after a question. The audit log records that the identity changed, never
what it says (`services.cases.set_identity`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rich.text import Text
from textual import on, work
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Button, Static

from confidant_tui.domain.cases import Identity
from confidant_tui.errors import VaultLocked
from confidant_tui.i18n import _
from confidant_tui.services.vaults import Vault
from confidant_tui.ui.modals.confirm import ConfirmModal
from confidant_tui.ui.modals.form_modal import FormModal, Store
from confidant_tui.ui.widgets.form_field import FormField
from confidant_tui.ui.widgets.literal_fields import LiteralInput


class IdentityModal(FormModal):
    """Records, changes or erases the reporter's identity; hidden until asked for.

    Args:
        case_id: the case.
        code: its code (for the heading).
        shown: the identity the case file already shows (None: hidden there).
    """

    DEFAULT_CSS = """
    IdentityModal #dialog { width: 70; }
    IdentityModal #identity-state { margin-bottom: 1; }
    IdentityModal #reveal { margin-bottom: 1; }
    """

    class Presence(Message):
        """Whether an identity is recorded (read without reading it)."""

        def __init__(self, recorded: bool) -> None:
            super().__init__()
            self.recorded = recorded

    class Revealed(Message):
        """The identity was read, because the adviser asked."""

        def __init__(self, identity: Identity) -> None:
            super().__init__()
            self.identity = identity

    def __init__(self, case_id: int, code: str, shown: Identity | None = None) -> None:
        super().__init__()
        self.case_id = case_id
        self.code = code
        self.shown = shown
        self.recorded: bool | None = None if shown is None else not shown.is_empty
        """Whether an identity was on record when the dialog opened (None: not known yet)."""

    def title_text(self) -> str:
        return _("Identity of the reporter in case {code}").format(code=self.code)

    def fields(self) -> Iterable[Widget]:
        yield Static(Text(_("Reading…"), style="italic"), id="identity-state")
        yield Button(_("Show the identity"), id="reveal")
        yield FormField(_("Name"), LiteralInput(id="name"), field="name")
        yield FormField(
            _("Contact"),
            LiteralInput(id="contact"),
            hint=_("Empty both fields to erase the identity."),
            field="contact",
        )

    def on_mount(self) -> None:
        super().on_mount()
        if self.shown is not None:
            self._show(self.shown)
            return
        self._editable(False)
        self.query_one("#reveal", Button).focus()
        self._read_presence(self.case_id)

    def _editable(self, editable: bool) -> None:
        for name in ("#name", "#contact"):
            self.query_one(name, LiteralInput).disabled = not editable
        self.query_one("#reveal", Button).display = not editable

    def _state(self, text: str) -> None:
        self.query_one("#identity-state", Static).update(Text(text, style="italic"))

    @work(thread=True, exclusive=True, group="identity-presence")
    def _read_presence(self, case_id: int) -> None:
        from confidant_tui.services.cases import identity_recorded

        try:
            recorded = identity_recorded(self.context.vault, case_id)
        except VaultLocked:
            return
        self.post_message(self.Presence(recorded))

    @on(Presence)
    def _presence(self, message: Presence) -> None:
        self.recorded = message.recorded
        if message.recorded:
            self._state(_("An identity is recorded. It stays hidden until you ask to see it."))
        else:
            self._state(_("No identity is recorded."))
            self._editable(True)
            self.query_one("#name", LiteralInput).focus()
            self.remember_pristine()

    @on(Button.Pressed, "#reveal")
    def _reveal_pressed(self) -> None:
        self._reveal(self.case_id)

    @work(thread=True, exclusive=True, group="identity-reveal")
    def _reveal(self, case_id: int) -> None:
        from confidant_tui.services.cases import reveal_identity

        try:
            identity = reveal_identity(self.context.vault, case_id)
        except VaultLocked:
            return
        self.post_message(self.Revealed(identity))

    @on(Revealed)
    def _revealed(self, message: Revealed) -> None:
        self.recorded = not message.identity.is_empty
        self._show(message.identity)

    def _show(self, identity: Identity) -> None:
        self.query_one("#name", LiteralInput).load(identity.name or "")
        self.query_one("#contact", LiteralInput).load(identity.contact or "")
        self._state(
            _("The identity as recorded.")
            if not identity.is_empty
            else _("No identity is recorded.")
        )
        self._editable(True)
        self.query_one("#name", LiteralInput).focus()
        self.remember_pristine()

    @property
    def revealed(self) -> bool:
        """Whether the fields may be changed (shown, or nothing was recorded)."""
        return not self.query_one("#name", LiteralInput).disabled

    def _typed(self) -> Identity:
        name = self.query_one("#name", LiteralInput).stored_value
        contact = self.query_one("#contact", LiteralInput).stored_value
        return Identity(name if name.strip() else None, contact if contact.strip() else None)

    def build(self) -> Store | list[tuple[str, str]]:
        if not self.revealed:
            return [("name", _("Show the identity first to change it."))]
        identity, case_id = self._typed(), self.case_id

        def store(vault: Vault) -> None:
            from confidant_tui.services.cases import set_identity

            set_identity(vault, case_id, identity)

        return store

    def action_save(self) -> None:
        """Saves; erasing a recorded identity asks first."""
        if self._saving or not self.revealed or not self.recorded or not self._typed().is_empty:
            super().action_save()
            return

        def answered(yes: bool | None) -> None:
            if yes:
                FormModal.action_save(self)

        self.app.push_screen(
            ConfirmModal(
                _("Erase the reporter's identity? It cannot be brought back."),
                confirm=_("Erase"),
                danger=True,
            ),
            answered,
        )

    def draft(self) -> list[Any]:
        """Nothing while hidden; the fields once shown (a lock keeps only what was typed)."""
        return super().draft() if self.revealed else []
