"""Provides `UnlockScreen`: the only screen of the app while the vault is locked.

It shows no case data, ever: the vault's file name, the passphrase field (masked, never
copied) and messages. Unlocking runs Argon2id (about a second) in a thread worker while the
screen shows "Opening the vault…"; the app stays responsive. On success the screen posts
`UnlockScreen.Unlocked` and the app brings back the screens of before the lock.

A vault that went back in time (saves missing: `VaultRolledBack`) is not opened at once: a
question says what is missing and starts on "Do not open"; only "Open all the same" opens it
(the key is derived again, and the passphrase is forgotten once the question is answered).
After unlocking, when the last verified backup is older than the setting
`backup_interval_days` (or there is none), a notification says so and how to make one, once
a day per run of the app; not in the demo, whose vault is thrown away.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Vertical
from textual.message import Message
from textual.widgets import Input, LoadingIndicator, Static

from confidant_tui.errors import ConfidantError, VaultRolledBack, WrongPassphrase
from confidant_tui.i18n import N_, _, ngettext
from confidant_tui.services.session import Session
from confidant_tui.ui.base import BaseScreen, Restorer
from confidant_tui.ui.language import retranslate_bindings
from confidant_tui.ui.presenters.literal import literal_text
from confidant_tui.ui.widgets.safe_input import SafeInput

if TYPE_CHECKING:
    from confidant_tui.services.organisations import Organisation

# This screen is the app's first frame: what it needs only after the passphrase is typed
# (the organisations, the backup record, the rollback question) is imported there.

REMINDER_SECONDS = 20.0
"""How long the backup reminder stays on screen (long enough to read it after unlocking)."""


class UnlockScreen(BaseScreen):
    """Asks for the passphrase and opens the vault.

    Args:
        session: the app's session (opens the vault).
        demo_passphrase: shown on the screen when the vault is the demo vault.
        prefetch: reads, once the vault is open, what the first screens after the unlock
            show (in the unlock's worker; the result goes with `Unlocked`, None when there
            is nothing to read first). The screens are then built with it and drawn once,
            instead of racing their own workers for Python's lock while they are built.
    """

    CSS_PATH = Path(__file__).with_suffix(".tcss")
    BINDINGS: ClassVar = [Binding("ctrl+q", "app.quit", N_("Quit"), priority=True)]
    AUTO_FOCUS = "#passphrase"

    class Unlocked(Message):
        """The vault is open (and settled: see `services.organisations.settle`).

        Attributes:
            organisations: the vault's organisations with their rules.
            reminder: the backup reminder to show, or None.
            prefetched: what the screen's `prefetch` read for the first screens, or None.
        """

        def __init__(
            self,
            organisations: tuple[Organisation, ...] = (),
            *,
            reminder: str | None = None,
            prefetched: object = None,
        ) -> None:
            super().__init__()
            self.organisations = organisations
            self.reminder = reminder
            self.prefetched = prefetched

    def __init__(
        self,
        session: Session,
        *,
        demo_passphrase: str | None = None,
        prefetch: Callable[[], object] | None = None,
    ) -> None:
        super().__init__(id="unlock")
        self._session = session
        self._prefetch = prefetch
        self._demo_passphrase = demo_passphrase
        self._notice: str = ""
        self._reminded_on: dt.date | None = None

    def compose(self) -> ComposeResult:
        with Center(), Vertical(id="box"):
            yield Static("Confidant", id="name")
            yield Static(_("Encrypted case register"), id="tagline")
            yield Static(
                literal_text(
                    _("Vault: {name}").format(name=self._session.path.name), single_line=True
                ),
                id="vault",
            )
            if self._demo_passphrase:
                yield Static(_("Demo with made-up cases. The passphrase is:"), id="demo")
                yield Static(
                    literal_text(self._demo_passphrase, single_line=True, style="bold"),
                    id="demo-passphrase",
                )
            yield Static(_("Passphrase"), id="label")
            yield SafeInput(
                password=True, id="passphrase", placeholder=_("Type your passphrase, then Enter")
            )
            yield LoadingIndicator(id="busy")
            yield Static("", id="status")

    def on_mount(self) -> None:
        self.query_one("#busy").display = False

    async def retranslate(self) -> None:
        """Composes the screen again in the current language (the language was changed);
        the notice shown stays."""
        retranslate_bindings(self)
        await self.recompose()
        self.query_one("#busy").display = False
        self._show(self._notice)

    def lock_snapshot(self) -> Restorer | None:
        """The unlock screen is never part of the unlocked app."""
        return None

    def reset(self, notice: str = "") -> None:
        """Makes the screen ready for the next unlock: empty field, the given notice shown.

        Args:
            notice: a message such as "Locked after 5 minutes without activity".
        """
        self._notice = notice
        field = self.query_one("#passphrase", SafeInput)
        field.value = ""
        field.disabled = False
        self.query_one("#busy").display = False
        self._show(notice)
        field.focus()

    def _show(self, text: str, *, problem: bool = False) -> None:
        status = self.query_one("#status", Static)
        status.update(literal_text(text))
        status.set_class(problem, "-problem")

    @on(Input.Submitted, "#passphrase")
    def _submitted(self, event: Input.Submitted) -> None:
        passphrase = event.value
        event.input.value = ""
        if not passphrase:
            self._show(_("Type your passphrase first."), problem=True)
            return
        event.input.disabled = True
        self.query_one("#busy").display = True
        self._show(_("Opening the vault…"))
        self._open(passphrase)

    @work(thread=True, exclusive=True, group="unlock", exit_on_error=False)
    def _open(self, passphrase: str, accept_rollback: bool = False) -> None:
        try:
            self._session.unlock(passphrase, accept_rollback=accept_rollback)
            found = self._settle()
            due = self._reminder()
            prefetched = self._prefetch() if self._prefetch is not None else None
        except VaultRolledBack as error:
            self.post_message(self._RolledBack(error.message, passphrase))
        except WrongPassphrase:
            count = self._session.failed_attempts
            message = ngettext(
                "Wrong passphrase. {count} failed try so far.",
                "Wrong passphrase. {count} failed tries so far.",
                count,
            ).format(count=count)
            self.post_message(self._Failed(message))
        except ConfidantError as error:
            self.post_message(self._Failed(error.message))
        except Exception:
            self.post_message(self._Failed(_("The vault could not be opened.")))
        else:
            self.post_message(self.Unlocked(found, reminder=due, prefetched=prefetched))
            if prefetched is None:
                self._prepare_deadlines()

    def _prepare_deadlines(self) -> None:
        """Works out the deadlines while the screens after the unlock are being built (in
        this worker; unless `prefetch` read the first screens' already), so the case list's
        marks and the case file find them ready. A vault locked meanwhile, or a read that
        fails, leaves it to them (they say what failed)."""
        from confidant_tui.services import deadlines

        context = self.context
        with contextlib.suppress(ConfidantError):
            deadlines.prepare(self._session.vault, today=context.today(), settings=context.settings)

    def _settle(self) -> tuple[Organisation, ...]:
        """Settles the opened vault; when that fails the vault is closed again."""
        from confidant_tui.services import organisations

        try:
            return tuple(
                organisations.settle(
                    self._session.vault,
                    default_name=_("My organisation"),
                    moment=self.context.now(),
                )
            )
        except BaseException:
            self._session.lock()
            raise

    def _reminder(self) -> str | None:
        """The backup reminder when a backup is due and none was shown today (in the worker).

        Never in the demo (its vault is thrown away); a record that cannot be read means no
        reminder rather than a failed unlock.
        """
        if self._demo_passphrase is not None:
            return None
        from confidant_tui.services import backups
        from confidant_tui.ui.presenters.backup_texts import reminder

        context = self.context
        if self._reminded_on == context.today():
            return None
        try:
            last = backups.last_backup(self._session.vault)
        except (ConfidantError, OSError):
            return None
        return reminder(
            last, interval_days=context.settings.backup_interval_days, now=context.clock.now()
        )

    class _RolledBack(Message):
        """The vault went back in time; the adviser decides whether to open it."""

        def __init__(self, message: str, passphrase: str) -> None:
            super().__init__()
            self.message = message
            self.passphrase = passphrase

    @on(_RolledBack)
    def _rolled_back(self, event: _RolledBack) -> None:
        from confidant_tui.ui.modals.confirm import ConfirmModal

        self.query_one("#busy").display = False
        self._show(_("Saves are missing from this vault."), problem=True)
        kept = [event.passphrase]
        event.passphrase = ""

        def answered(open_anyway: bool | None) -> None:
            passphrase = kept.pop()
            if open_anyway:
                self.query_one("#busy").display = True
                self._show(_("Opening the vault…"))
                self._open(passphrase, accept_rollback=True)
            else:
                self._failed(self._Failed(_("The vault was not opened.")))

        question = Text(_("This vault went back in time.") + "\n\n", "bold")
        question.append_text(literal_text(event.message))
        question.append(
            "\n\n"
            + _(
                "Open it all the same only when you know why, for example because you put "
                "back an older copy yourself. The missing saves stay missing; Confidant "
                "continues from this copy."
            )
        )
        self.app.push_screen(
            ConfirmModal(
                question, confirm=_("Open all the same"), cancel=_("Do not open"), danger=True
            ),
            answered,
        )

    class _Failed(Message):
        """Opening failed; `message` says why."""

        def __init__(self, message: str) -> None:
            super().__init__()
            self.message = message

    @on(_Failed)
    def _failed(self, event: _Failed) -> None:
        field = self.query_one("#passphrase", SafeInput)
        field.disabled = False
        self.query_one("#busy").display = False
        self._show(event.message, problem=True)
        field.focus()

    @on(Unlocked)
    def _unlocked(self, event: Unlocked) -> None:
        self.query_one("#busy").display = False
        self.query_one("#passphrase", SafeInput).disabled = False
        self._show("")
        if event.reminder:
            self._reminded_on = self.context.today()
            self.app.notify(
                event.reminder, title=_("Backup"), severity="warning", timeout=REMINDER_SECONDS
            )
