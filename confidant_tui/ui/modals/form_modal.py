"""Provides `FormModal`: a small dialog form that stores through a service and stays open
on refusal, showing each problem next to its field.

Subclasses compose `FormField`s inside `#dialog` (via `fields()`), and implement `build()`,
which returns either the problems the form can see itself or a function that calls the
service with the vault. The dialog dismisses with True once stored; Escape dismisses with
False (asking first when something was typed).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Button, Input, Select, Static

from confidant_tui.errors import ValidationError
from confidant_tui.i18n import N_, _
from confidant_tui.services.vaults import Vault
from confidant_tui.ui.screens.base import BaseModal
from confidant_tui.ui.widgets.form_field import FormField

Store = Callable[[Vault], Any]
"""Calls the service with the open vault (runs in a thread worker)."""


class FormModal(BaseModal[bool]):
    """A dialog form for one record; Ctrl+S or the Save button stores it."""

    CSS_PATH = Path(__file__).parent / "form_modal.tcss"
    BINDINGS: ClassVar = [
        Binding("ctrl+s", "save", N_("Save")),
        Binding("escape", "cancel", N_("Cancel")),
    ]
    TITLE_TEXT = ""

    class Stored(Message):
        """The service accepted the record."""

    class Refused(Message):
        """The service refused the record."""

        def __init__(self, error: ValidationError) -> None:
            super().__init__()
            self.error = error

    def __init__(self) -> None:
        super().__init__()
        self._saving = False
        self._pristine: list[Any] | None = None

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="dialog"):
            yield Static(Text(self.title_text(), style="bold"), id="title")
            yield from self.fields()
            with Horizontal(id="buttons"):
                yield Button(_("Save"), id="save", variant="primary")
                yield Button(_("Cancel"), id="cancel")

    def on_mount(self) -> None:
        self._pristine = self._values()
        controls = [f.control for f in self.query(FormField)]
        if controls:
            controls[0].focus()

    def title_text(self) -> str:
        """The dialog's heading (already translated)."""
        return self.TITLE_TEXT

    def fields(self) -> Iterable[Widget]:
        """The dialog's form fields."""
        return ()

    def build(self) -> Store | list[tuple[str, str]]:
        """The service call for the typed values, or the problems the form sees itself."""
        raise NotImplementedError

    @property
    def is_dirty(self) -> bool:
        """Whether something was typed or chosen since the dialog opened."""
        return self._pristine is not None and self._values() != self._pristine

    def _values(self) -> list[Any]:
        values: list[Any] = []
        for control in (f.control for f in self.query(FormField)):
            values.append(getattr(control, "value", getattr(control, "text", None)))
        return values

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        """Checks the form and stores the record."""
        if self._saving:
            return
        built = self.build()
        if isinstance(built, list):
            self.show_problems(built)
            return
        self.show_problems([])
        self._saving = True
        self._store(built)

    @work(thread=True, exclusive=True, group="form-modal")
    def _store(self, store: Store) -> None:
        try:
            store(self.context.vault)
        except ValidationError as error:
            self.post_message(self.Refused(error))
            return
        except Exception:
            self.post_message(self.Refused(ValidationError("")))
            raise
        self.post_message(self.Stored())

    @on(Stored)
    def _stored(self) -> None:
        self._saving = False
        self.dismiss(True)

    @on(Refused)
    def _refused(self, message: Refused) -> None:
        self._saving = False
        if message.error.message:
            self.show_problems(message.error.problems or [("", message.error.message)])

    def show_problems(self, problems: list[tuple[str, str]]) -> None:
        """Shows each problem under its field (unplaced ones under the first field)."""
        fields = list(self.query(FormField))
        by_name: dict[str, list[str]] = {}
        for path, text in problems:
            parts = [p for p in re.split(r"[.\[\]]", path) if p and not p.isdigit()]
            name = parts[-1] if parts else ""
            if not any(f.field == name for f in fields) and fields:
                name = fields[0].field
            by_name.setdefault(name, []).append(text)
        for form_field in fields:
            messages = by_name.get(form_field.field)
            form_field.show_problem(" ".join(messages) if messages else None)
        for form_field in fields:
            if form_field.field in by_name:
                form_field.control.focus()
                break

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        """Closes without storing; asks first when something was typed."""
        if self._pristine is None or self._values() == self._pristine:
            self.dismiss(False)
            return
        from confidant_tui.ui.modals.confirm import ConfirmModal

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(False)

        self.app.push_screen(
            ConfirmModal(
                _("Discard what you typed here?"),
                confirm=_("Discard"),
                cancel=_("Keep editing"),
                danger=True,
            ),
            answered,
        )


def select_key(select: Select[Any]) -> Any:
    """A `Select`'s value, or None when nothing is chosen."""
    return None if select.is_blank() else select.value


def input_text(widget: Input) -> str | None:
    """An `Input`'s stripped text, or None when empty."""
    return widget.value.strip() or None
