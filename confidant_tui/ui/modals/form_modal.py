"""Provides `FormModal`: a small dialog form that stores through a service and stays open
on refusal, showing each problem next to its field.

Subclasses compose `FormField`s inside `#dialog` (via `fields()`), and implement `build()`,
which returns either the problems the form can see itself or a function that calls the
service with the vault. The dialog dismisses with True once stored; Escape dismisses with
False (asking first when something was typed). Saving and leaving are `FormCycle`'s
(`ui/modals/form_cycle.py`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Button, Input, Select, Static

from confidant_tui.i18n import N_, _
from confidant_tui.services.vaults import Vault
from confidant_tui.ui.base import BaseModal
from confidant_tui.ui.context import AppContext
from confidant_tui.ui.modals.form_cycle import FormCycle, Problems
from confidant_tui.ui.widgets.form_field import FormField
from confidant_tui.ui.widgets.key_footer import KeyFooter

Store = Callable[[Vault], object]
"""Calls the service with the open vault (runs in a thread worker)."""


class FormModal(FormCycle[Store], BaseModal[bool]):
    """A dialog form for one record; Ctrl+S or the Save button stores it."""

    CSS_PATH = Path(__file__).parent / "form_modal.tcss"
    BINDINGS: ClassVar = [
        Binding("ctrl+s", "save", N_("Save")),
        Binding("escape", "cancel", N_("Cancel")),
    ]
    TITLE_TEXT = ""
    SAVE_GROUP = "form-modal"
    DIRTY_UNTIL_FILLED = False
    NOTIFY_REFUSAL = False

    class Stored(Message):
        """The service accepted the record."""

    class Refused(FormCycle.Refused):
        """The service refused the record."""

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="dialog"):
            yield Static(Text(self.title_text(), style="bold"), id="title")
            yield from self.fields()
            with Horizontal(id="buttons"):
                yield Button(_("Save"), id="save", variant="primary")
                yield Button(_("Cancel"), id="cancel")
        yield KeyFooter()  # the dialog's keys, over the footer of the screen below

    def on_mount(self) -> None:
        self.remember_pristine()
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

    def collect(self) -> Store | Problems:
        """What `build` gives (see `FormCycle`)."""
        return self.build()

    def draft(self) -> list[Any]:
        """Each field's value (or text), in order."""
        values: list[Any] = []
        for control in (f.control for f in self.query(FormField)):
            values.append(getattr(control, "value", getattr(control, "text", None)))
        return values

    @on(Button.Pressed, "#save")
    def _save_pressed(self) -> None:
        """The Save button saves exactly as Ctrl+S does, a subclass's question included (a
        closing protocol step asks once more, whichever way the adviser saves)."""
        self.action_save()

    def store(self, context: AppContext, built: Store) -> Message:
        """Calls the service (in the save worker)."""
        built(context.vault)
        return self.Stored()

    @on(Stored)
    def _stored(self) -> None:
        self.saved()
        self.dismiss(True)

    @on(Refused)
    def _refused(self, message: Refused) -> None:
        self.refused(message.error)

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
    def _cancel_pressed(self) -> None:
        self.action_cancel()

    def leave_unsaved(self) -> None:
        """Closes without storing (dismisses with False)."""
        self.dismiss(False)


def select_key(select: Select[Any]) -> Any:
    """A `Select`'s value, or None when nothing is chosen."""
    return None if select.is_blank() else select.value


def input_text(widget: Input) -> str | None:
    """An `Input`'s stripped text, or None when empty."""
    return widget.value.strip() or None
