"""Provides `DestroyConfirmModal`: the last question before due cases are destroyed for good.

The dialog names the cases, says what goes (the whole case: identity, people, conversations
with their earlier versions, routes, referrals and letters, protocol and consent records,
information requests) and what stays (the anonymous statistical record, so the yearly
reports keep their figures, and the audit entries: the code and the dates of acts, no
content). It warns that backups made before still hold these cases and lists the backups
this computer knows of, by date, for the adviser to delete. Destroying takes the case code
typed in full (one case) or the number of cases (several): a reflexive Enter or a wrong
code destroys nothing.

The destruction runs in a thread worker (clearing the freed space of the vault file may
take seconds; the app stays responsive and the dialog cannot be closed meanwhile); the
dialog then says what was destroyed and dismisses with True when closed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widgets import Button, Input, Static

from confidant_tui.domain.written_dates import long_date
from confidant_tui.errors import ConfidantError, VaultLocked
from confidant_tui.i18n import N_, _, ngettext
from confidant_tui.services import retention
from confidant_tui.services.retention import DueCase
from confidant_tui.ui.base import BaseModal
from confidant_tui.ui.presenters.backup_texts import written_moment
from confidant_tui.ui.presenters.literal import literal_text
from confidant_tui.ui.widgets.form_field import FormField
from confidant_tui.ui.widgets.key_footer import KeyFooter

Backups = list[tuple[Path, dt.datetime]]
"""The backups this computer knows of: each file and when it was made."""


class DestroyConfirmModal(BaseModal[bool]):
    """Explains what destroying `cases` means, asks for the code or the count, destroys.

    Args:
        cases: the due cases to destroy (one or several).
        backups: the backups of this vault known on this computer (file, moment made).
    """

    CSS_PATH = Path(__file__).with_suffix(".tcss")
    BINDINGS: ClassVar = [Binding("escape", "close", N_("Cancel"))]
    AUTO_FOCUS = "#answer"

    class _Done(Message):
        def __init__(self, destroyed: Sequence[str], records_kept: int) -> None:
            super().__init__()
            self.destroyed = destroyed
            self.records_kept = records_kept

    class _Failed(Message):
        def __init__(self, message: str) -> None:
            super().__init__()
            self.message = message

    def __init__(self, cases: Sequence[DueCase], backups: Backups) -> None:
        super().__init__()
        self.cases = list(cases)
        self.backups = list(backups)
        self._busy = False
        self._done = False

    @property
    def expected(self) -> str:
        """What the adviser must type: the case's code, or the number of cases."""
        if len(self.cases) == 1:
            return self.cases[0].code
        return str(len(self.cases))

    def compose(self) -> ComposeResult:
        count = len(self.cases)
        with VerticalScroll(id="dialog", can_focus=False) as dialog:
            dialog.border_title = self._title()
            yield Static(self._case_lines(), id="cases")
            yield Static(
                Text(
                    ngettext(
                        "Everything of the case goes for good: identity, people, "
                        "conversations with their earlier versions, routes, referrals and "
                        "letters, protocol and consent records, information requests. This "
                        "cannot be undone.",
                        "Everything of these cases goes for good: identity, people, "
                        "conversations with their earlier versions, routes, referrals and "
                        "letters, protocol and consent records, information requests. This "
                        "cannot be undone.",
                        count,
                    )
                ),
                id="goes",
            )
            yield Static(
                Text(
                    _(
                        "What stays: the anonymous statistical record (the year only, no "
                        "code or name), so the yearly reports keep their figures, and the "
                        "audit entries (code and dates of acts, no content)."
                    )
                ),
                id="stays",
            )
            yield Static(self._backup_lines(), id="backups")
            if count == 1:
                label = _("Type the case code {code} to destroy it").format(code=self.expected)
            else:
                label = _("Type the number of cases ({count}) to destroy them").format(count=count)
            yield FormField(label, Input(id="answer"), field="answer")  # shown literally
            yield Static("", id="result")
            with Horizontal(id="buttons"):
                yield Button(_("Destroy"), id="destroy", variant="error", compact=True)
                yield Button(_("Cancel"), id="close", compact=True)
        yield KeyFooter()  # the dialog's keys, over the footer of the screen below

    def on_mount(self) -> None:
        self.query_one("#answer", Input).focus()

    def _title(self) -> Text:
        count = len(self.cases)
        if count == 1:
            code = self.cases[0].code
            return literal_text(_("Destroy case {code}").format(code=code), single_line=True)
        return Text(
            ngettext("Destroy {count} case", "Destroy {count} cases", count).format(count=count)
        )

    def _case_lines(self) -> Text:
        lines = Text()
        for index, case in enumerate(self.cases):
            if index:
                lines.append("\n")
            lines.append("• ")
            lines.append_text(literal_text(case.code, single_line=True, style="bold"))
            lines.append(" · ")
            lines.append_text(literal_text(case.organisation, single_line=True))
            lines.append(" · ")
            lines.append(_("closed {date}").format(date=long_date(case.closed_on)))
        return lines

    def _backup_lines(self) -> Text:
        text = Text(
            ngettext(
                "Backups made before still hold this case.",
                "Backups made before still hold these cases.",
                len(self.cases),
            ),
            style="bold",
        )
        if not self.backups:
            text.append(" ")
            text.append(
                _(
                    "This computer knows of no backup of this vault; delete any backup "
                    "made elsewhere that you no longer need."
                )
            )
            return text
        text.append(" ")
        text.append(
            ngettext(
                "The backup this computer knows of (delete it when you no longer need it):",
                "The backups this computer knows of (delete those you no longer need):",
                len(self.backups),
            )
        )
        now = self.context.now()
        for path, made in sorted(self.backups, key=lambda backup: backup[1]):
            text.append("\n• ")
            text.append(written_moment(made, now))
            text.append(": ")
            text.append_text(literal_text(str(path), single_line=True))
        return text

    # -- destroying ------------------------------------------------------------------------

    @on(Input.Submitted, "#answer")
    @on(Button.Pressed, "#destroy")
    def action_destroy(self) -> None:
        """Destroys the cases when the code (or the count) was typed exactly."""
        if self._busy or self._done:
            return
        field = self.query_one(FormField)
        typed = self.query_one("#answer", Input).value.strip()
        if typed != self.expected:
            if len(self.cases) == 1:
                problem = _("That is not the case code: nothing was destroyed.")
            else:
                problem = _("That is not the number of cases: nothing was destroyed.")
            field.show_problem(problem if typed else _("Type it to confirm."))
            self.query_one("#answer", Input).focus()
            return
        field.show_problem(None)
        self._set_busy(True)
        self._show(
            Text(
                _(
                    "Destroying, then clearing the freed space in the vault file; this may "
                    "take a few seconds…"
                )
            )
        )
        self._destroy([case.code for case in self.cases])

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.query_one("#destroy", Button).disabled = busy
        self.query_one("#close", Button).disabled = busy
        self.query_one("#answer", Input).disabled = busy

    def _show(self, text: Text, *, problem: bool = False) -> None:
        result = self.query_one("#result", Static)
        result.update(text)
        result.set_class(problem, "-problem")
        result.set_class(bool(text.plain), "-shown")

    @work(thread=True, exclusive=True, group="destroy")
    def _destroy(self, codes: list[str]) -> None:
        context = self.context
        try:
            done = retention.destroy(context.vault, codes, now=context.now())
        except VaultLocked:
            return
        except ConfidantError as error:
            self.post_message(self._Failed(error.message))
        except BaseException:
            self.post_message(self._Failed(_("The cases could not be destroyed.")))
            raise
        else:
            self.post_message(self._Done(list(done.destroyed), done.records_kept))

    @on(_Failed)
    def _failed(self, message: _Failed) -> None:
        self._set_busy(False)
        self._show(literal_text(message.message), problem=True)
        self.query_one("#answer", Input).focus()

    @on(_Done)
    def _finished(self, message: _Done) -> None:
        self._set_busy(False)
        self._done = True
        destroyed = list(message.destroyed)
        text = Text(
            ngettext("{count} case destroyed:", "{count} cases destroyed:", len(destroyed)).format(
                count=len(destroyed)
            )
            + " ",
            style="bold",
        )
        text.append_text(literal_text(", ".join(destroyed), single_line=True))
        text.append("\n")
        text.append(
            ngettext(
                "{count} anonymous statistical record kept for the yearly reports.",
                "{count} anonymous statistical records kept for the yearly reports.",
                message.records_kept,
            ).format(count=message.records_kept)
        )
        text.append(" ")
        text.append(_("The audit log records the destruction."))
        self._show(text)
        self.query_one(FormField).display = False
        self.query_one("#destroy", Button).display = False
        close = self.query_one("#close", Button)
        close.label = _("Close")
        close.focus(scroll_visible=False)
        self.call_after_refresh(self.query_one("#dialog").scroll_end, animate=False)

    # -- leaving ---------------------------------------------------------------------------

    @on(Button.Pressed, "#close")
    def action_close(self) -> None:
        """Closes the dialog: True once the cases were destroyed (not while destroying)."""
        if self._busy:
            self.notify(_("The cases are still being destroyed; wait a moment."), markup=False)
            return
        self.dismiss(self._done)
