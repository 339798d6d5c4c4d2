"""Provides `UnlockScreen`: the only screen of the app while the vault is locked.

It shows no case data, ever: the vault's file name, the passphrase field (masked, never
copied) and messages. Unlocking runs Argon2id (about a second) in a thread worker while the
screen shows "Opening the vault…"; the app stays responsive. On success the screen posts
`UnlockScreen.Unlocked` and the app brings back the screens of before the lock.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Vertical
from textual.message import Message
from textual.widgets import Input, LoadingIndicator, Static

from confidant_tui.errors import ConfidantError, WrongPassphrase
from confidant_tui.i18n import N_, _, ngettext
from confidant_tui.services import organisations
from confidant_tui.services.organisations import Organisation
from confidant_tui.services.session import Session
from confidant_tui.ui.base import BaseScreen, Restorer
from confidant_tui.ui.presenters.literal import literal_text
from confidant_tui.ui.widgets.safe_input import SafeInput


class UnlockScreen(BaseScreen):
    """Asks for the passphrase and opens the vault.

    Args:
        session: the app's session (opens the vault).
        demo_passphrase: shown on the screen when the vault is the demo vault.
    """

    CSS_PATH = Path(__file__).with_suffix(".tcss")
    BINDINGS: ClassVar = [Binding("ctrl+q", "app.quit", N_("Quit"), priority=True)]
    AUTO_FOCUS = "#passphrase"

    class Unlocked(Message):
        """The vault is open (and settled: see `services.organisations.settle`).

        Attributes:
            organisations: the vault's organisations with their rules.
        """

        def __init__(self, organisations: tuple[Organisation, ...] = ()) -> None:
            super().__init__()
            self.organisations = organisations

    def __init__(self, session: Session, *, demo_passphrase: str | None = None) -> None:
        super().__init__(id="unlock")
        self._session = session
        self._demo_passphrase = demo_passphrase
        self._notice: str = ""

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
    def _open(self, passphrase: str) -> None:
        try:
            self._session.unlock(passphrase)
            found = self._settle()
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
            self.post_message(self.Unlocked(found))

    def _settle(self) -> tuple[Organisation, ...]:
        """Settles the opened vault; when that fails the vault is closed again."""
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
    def _unlocked(self) -> None:
        self.query_one("#busy").display = False
        self.query_one("#passphrase", SafeInput).disabled = False
        self._show("")
