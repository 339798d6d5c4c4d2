"""Provides `BackupModal`: makes a verified, encrypted backup of the open vault.

The dialog (palette: "Make a backup") says when the last verified backup was made on this
computer, offers a file name (`services.backups.suggested_backup_path`), and lets the
adviser choose whether the backup opens with the vault's passphrase (the default) or with
a separate one, typed twice and checked like any new passphrase. Making the backup runs in
a thread worker (seconds on a big vault; the app stays responsive); the dialog then shows
both files and the number of cases, or the error in the adviser's words. An existing file
is replaced only after a question that starts on Cancel.

Nothing typed here is kept: the dialog is dropped when the app locks (it is no form with a
draft), and the separate passphrase is cleared once the backup is made.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Button, Input, RadioButton, RadioSet, Static

from confidant_tui.errors import ConfidantError
from confidant_tui.i18n import N_, _, ngettext
from confidant_tui.services import backups
from confidant_tui.services.backups import BackupMade
from confidant_tui.services.exports import OutputExists
from confidant_tui.ui.base import BaseModal
from confidant_tui.ui.modals.confirm import ConfirmModal
from confidant_tui.ui.presenters.backup_texts import last_backup_line, separate_passphrase_problems
from confidant_tui.ui.presenters.literal import literal_text
from confidant_tui.ui.widgets.form_field import FormField
from confidant_tui.ui.widgets.key_footer import KeyFooter
from confidant_tui.ui.widgets.marks import ChoiceButton
from confidant_tui.ui.widgets.safe_input import SafeInput


class BackupModal(BaseModal[None]):
    """Asks where the backup goes and with which passphrase it opens, then makes it."""

    CSS_PATH = Path(__file__).with_suffix(".tcss")
    BINDINGS: ClassVar = [
        Binding("ctrl+s", "make", N_("Make the backup")),
        Binding("escape", "close", N_("Close")),
    ]
    AUTO_FOCUS = "#destination"
    HELP = N_(
        "A backup is an encrypted copy of the whole vault, checked after writing: a file "
        "and its header beside it (the same name with .header). Keep both together, away "
        "from this computer."
    )

    class _Made(Message):
        def __init__(self, made: BackupMade, separate: bool) -> None:
            super().__init__()
            self.made = made
            self.separate = separate

    class _Exists(Message):
        def __init__(self, message: str) -> None:
            super().__init__()
            self.message = message

    class _Failed(Message):
        def __init__(self, message: str) -> None:
            super().__init__()
            self.message = message

    def __init__(self) -> None:
        super().__init__()
        self._busy = False

    def compose(self) -> ComposeResult:
        context = self.context
        suggested = backups.suggested_backup_path(context.session.path, context.today())
        with VerticalScroll(id="dialog", can_focus=False):
            yield Static(Text(_("Make a backup"), style="bold"), id="title")
            yield Static(self._last_line(), id="last")
            yield FormField(
                _("Backup file"),
                Input(str(suggested), id="destination"),
                hint=_(
                    "Encrypted like the vault, and checked after writing. Its header goes "
                    "beside it (the same name with .header): keep both files together, not "
                    "on this computer."
                ),
                field="destination",
            )
            yield FormField(
                _("The backup opens with"),
                RadioSet(
                    ChoiceButton(Text(_("the vault's passphrase")), value=True, id="same"),
                    ChoiceButton(Text(_("a separate passphrase")), id="separate"),
                    id="which",
                ),
                field="which",
            )
            with Vertical(id="separate-fields"):
                yield FormField(
                    _("Separate passphrase"),
                    SafeInput(password=True, id="backup-passphrase"),
                    hint=_("For a backup kept elsewhere; the vault's passphrase stays as it is."),
                    field="backup-passphrase",
                )
                yield FormField(
                    _("Repeat the separate passphrase"),
                    SafeInput(password=True, id="backup-passphrase-again"),
                    field="backup-passphrase-again",
                )
            yield Static("", id="result")
            with Horizontal(id="buttons"):
                yield Button(_("Make the backup"), id="make", variant="primary")
                yield Button(_("Close"), id="close")
        yield KeyFooter()  # the dialog's keys, over the footer of the screen below

    def on_mount(self) -> None:
        self.app.clear_notifications()  # the reminder to make a backup would cover the buttons
        self.query_one("#separate-fields").display = False
        self.query_one("#destination", Input).focus()

    def _last_line(self) -> Text:
        context = self.context
        try:
            last = backups.last_backup(context.vault)
        except (ConfidantError, OSError):
            last = None
        return Text(last_backup_line(last, context.clock.now()))

    # -- the choice of passphrase --------------------------------------------------------------

    @property
    def separate(self) -> bool:
        """Whether the backup is to open with a separate passphrase."""
        return self.query_one("#separate", RadioButton).value

    @on(RadioSet.Changed, "#which")
    def _which_changed(self) -> None:
        self.query_one("#separate-fields").display = self.separate
        if not self.separate:
            for field in self.query("#separate-fields FormField").results(FormField):
                field.show_problem(None)

    # -- making the backup ---------------------------------------------------------------------

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_make()

    @on(Button.Pressed, "#make")
    def _make_pressed(self) -> None:
        self.action_make()

    def action_make(self, replace: bool = False) -> None:
        """Checks the fields; makes the backup when they are right (in a thread worker)."""
        if self._busy:
            return
        text = self.query_one("#destination", Input).value.strip()
        separate: str | None = None
        problems: dict[str, str | None] = {
            "destination": None if text else _("Name the backup file."),
            "backup-passphrase": None,
            "backup-passphrase-again": None,
        }
        if self.separate:
            separate = self.query_one("#backup-passphrase", SafeInput).value
            again = self.query_one("#backup-passphrase-again", SafeInput).value
            (
                problems["backup-passphrase"],
                problems["backup-passphrase-again"],
            ) = separate_passphrase_problems(separate, again)
        for name, problem in problems.items():
            self._field(name).show_problem(problem)
        wrong = [name for name, problem in problems.items() if problem]
        if wrong:
            self.query_one(f"#{wrong[0]}").focus()
            return
        self._set_busy(True)
        self._show(Text(_("Making and checking the backup…")))
        self._make(Path(text).expanduser(), replace, separate)

    def _field(self, name: str) -> FormField:
        for field in self.query(FormField).results(FormField):
            if field.field == name:
                return field
        raise LookupError(name)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.query_one("#make", Button).disabled = busy

    def _show(self, text: Text, *, problem: bool = False) -> None:
        result = self.query_one("#result", Static)
        result.update(text)
        result.set_class(problem, "-problem")
        result.set_class(bool(text.plain), "-shown")

    @work(thread=True, exclusive=True, group="backup")
    def _make(self, destination: Path, replace: bool, separate: str | None) -> None:
        context = self.context
        try:
            made = backups.make_backup(
                context.vault,
                destination,
                now=context.clock.now(),
                replace=replace,
                separate_passphrase=separate,
            )
        except OutputExists as exists:
            self.post_message(self._Exists(exists.message))
        except ConfidantError as error:
            self.post_message(self._Failed(error.message))
        except BaseException:
            self.post_message(self._Failed(_("The backup could not be made.")))
            raise
        else:
            self.post_message(self._Made(made, separate is not None))

    @on(_Exists)
    def _exists(self, message: _Exists) -> None:
        self._set_busy(False)
        self._show(Text(""))

        def answered(confirmed: bool | None) -> None:
            if confirmed:
                self.action_make(replace=True)
            else:
                self.query_one("#destination", Input).focus()

        question = Text()
        question.append_text(literal_text(message.message))
        question.append("\n\n" + _("Replace the existing backup files?"), "bold")
        self.app.push_screen(
            ConfirmModal(question, confirm=_("Replace"), danger=True),
            answered,
        )

    @on(_Failed)
    def _failed(self, message: _Failed) -> None:
        self._set_busy(False)
        self._show(literal_text(message.message), problem=True)
        self.query_one("#destination", Input).focus()

    @on(_Made)
    def _made(self, message: _Made) -> None:
        made = message.made
        self._set_busy(False)
        for name in ("backup-passphrase", "backup-passphrase-again"):
            self.query_one(f"#{name}", SafeInput).value = ""
        text = Text(_("Backup made and verified.") + " ", "bold")
        text.append(
            ngettext("It holds {count} case.", "It holds {count} cases.", made.cases).format(
                count=made.cases
            )
        )
        text.append("\n" + _("Database:") + " ")
        text.append_text(literal_text(str(made.path), single_line=True))
        text.append("\n" + _("Header:") + " ")
        text.append_text(literal_text(str(made.header_path), single_line=True))
        text.append(
            "\n"
            + (
                _("It opens with the separate passphrase, not with the vault's.")
                if message.separate
                else _("It opens with the vault's passphrase.")
            )
        )
        self._show(text)
        self.query_one("#last", Static).update(
            Text(last_backup_line(made.made_at, self.context.clock.now()))
        )
        close = self.query_one("#close", Button)
        close.focus(scroll_visible=False)
        # The result just grew the dialog; once it is laid out, its end (the buttons) shows.
        self.call_after_refresh(self.query_one("#dialog").scroll_end, animate=False)

    # -- leaving -------------------------------------------------------------------------------

    @on(Button.Pressed, "#close")
    def action_close(self) -> None:
        """Closes the dialog (not while the backup is being made)."""
        if self._busy:
            self.notify(_("The backup is still being made; wait a moment."))
            return
        self.dismiss(None)
