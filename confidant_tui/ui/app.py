"""Provides `ConfidantApp` and `make_app`: the shell around the screens (unlock, lock, errors).

How the pieces fit, for whoever adds a screen:

- **The vault.** `app.session` (a `services.session.Session`) is the one place the open vault
  lives. A screen calls services with `self.app.session.vault` inside a thread worker
  (`@work(thread=True, exclusive=True, group="...")`) and posts a message with the result;
  `session.vault` raises `VaultLocked` once the app is locked. Never keep the `Vault` in an
  attribute of a screen or widget.
- **Two modes.** The "locked" mode holds only the `UnlockScreen`. The "vault" mode holds the
  home screen (`SCREENS["home"]`, the case list) and every screen pushed on top of it.
  Locking switches to "locked" at once (nothing of the cases is drawn any more), cancels the workers of the vault screens, closes
  the vault (waiting for a running transaction) and removes the whole "vault" mode, so no
  widget keeps case text. Before that, each screen's `lock_snapshot()` says how to rebuild
  it; unlocking rebuilds the screens in order. See `screens/base.py` for what a screen with
  a draft must do. Locking happens with Ctrl+L, the "Lock now" command, Ctrl+Q (lock, then
  quit) and after `settings.idle_minutes` without a key press or click (`lock_if_idle`, run
  every few seconds by a timer; the clock is injected, so tests advance it instead of
  sleeping).
- **While locked** `check_action` refuses every app action except quitting and moving the
  focus, so the palette and the app's keys do nothing; the in-app clipboard and the
  notifications are cleared.
- **Palette commands and screens.** Add them to `ui/commands.py` (`SCREENS`, `COMMANDS`);
  screen-specific commands come from the screen's `palette_commands()`. Textual's own
  system commands are not offered (no "Screenshot", which would write the screen to disk).
- **Help.** F1 shows the `HELP` paragraph of the current screen, its key bindings and the
  commands: give bindings a description with `N_("...")` (translated per instance, see
  `ui/bindings.py`) and the screen a `HELP = N_("...")`.
- **Errors.** A worker that raises a `ConfidantError` does not stop the app: the error is
  shown in the `ErrorModal`. Anything else stops the app with a plain message, never a
  traceback with local variables (which could hold case text).
- **Clipboard.** Nothing is ever written to the terminal's clipboard (OSC 52): copies stay in
  the app, are forgotten on lock, and passphrase fields refuse to copy.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, ClassVar

from rich.text import Text
from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.command import CommandPalette
from textual.screen import Screen
from textual.worker import WorkerFailed

from confidant_tui.errors import ConfidantError, ValidationError, VaultLocked
from confidant_tui.i18n import N_, _, ngettext
from confidant_tui.i18n import _ as translate
from confidant_tui.services.session import Clock, Session
from confidant_tui.settings import Settings
from confidant_tui.ui.bindings import LocalisedBindings
from confidant_tui.ui.commands import COMMANDS, PaletteCommand, screen_class
from confidant_tui.ui.modals.error import ErrorModal
from confidant_tui.ui.screens.base import BaseScreen, Restorer
from confidant_tui.ui.screens.unlock import UnlockScreen
from confidant_tui.ui.theme import CONFIDANT_THEME

LOCKED_MODE = "locked"
VAULT_MODE = "vault"
IDLE_CHECK_SECONDS = 5.0
"""How often the idle time is checked; the lock comes at most this late."""


class ConfidantApp(LocalisedBindings, App[None]):
    """The Confidant app; build it with `make_app`.

    Args:
        settings: the adviser's settings (idle minutes, organisation, ...).
        session: holds the vault path, the open vault and the idle clock.
        demo_passphrase: shown on the unlock screen of the demo vault.
    """

    CSS_PATH = "app.tcss"
    TITLE = "Confidant"
    DEFAULT_MODE = LOCKED_MODE
    BINDINGS: ClassVar = [
        Binding("ctrl+q", "quit", N_("Quit"), priority=True, id="quit"),
        Binding("ctrl+l", "lock", N_("Lock"), priority=True, id="lock"),
        Binding("f1", "help", N_("Help"), id="help"),
        Binding(
            "ctrl+p", "command_palette", N_("Commands"), show=False, priority=True, id="palette"
        ),
        Binding("ctrl+c", "help_quit", show=False, system=True),
    ]
    ALLOWED_WHILE_LOCKED: ClassVar[frozenset[str]] = frozenset(
        {"quit", "focus_next", "focus_previous", "help_quit"}
    )
    """The only app actions that work on the unlock screen."""

    def __init__(
        self, settings: Settings, session: Session, *, demo_passphrase: str | None = None
    ) -> None:
        super().__init__()
        self.settings = settings
        self.session = session
        self.demo_passphrase = demo_passphrase
        self._restorers: list[Restorer] = []
        self._locking = False
        self.use_command_palette = False
        self.add_mode(LOCKED_MODE, self._make_unlock_screen)

    # -- set-up --------------------------------------------------------------------------------

    def _make_unlock_screen(self) -> UnlockScreen:
        return UnlockScreen(self.session, demo_passphrase=self.demo_passphrase)

    def on_mount(self) -> None:
        self.register_theme(CONFIDANT_THEME)
        self.theme = CONFIDANT_THEME.name
        self.sub_title = _("Encrypted case register")
        self.set_interval(IDLE_CHECK_SECONDS, self.lock_if_idle, name="idle-lock")

    def apply_settings(self, settings: Settings) -> None:
        """Uses new settings from now on (the idle lock at once; the language at next start)."""
        self.settings = settings
        self.session.idle_minutes = settings.idle_minutes

    # -- lock and unlock -----------------------------------------------------------------------

    @property
    def is_locked(self) -> bool:
        """Whether the vault is closed (the unlock screen is showing)."""
        return not self.session.is_unlocked or self._locking

    def _unlock_screen(self) -> UnlockScreen:
        return self._screen_stacks[LOCKED_MODE][0]  # type: ignore[return-value]

    async def lock(self, notice: str | None = None) -> None:
        """Hides every case screen, cancels their workers, closes the vault, forgets the key.

        Args:
            notice: shown on the unlock screen (default: "The vault is locked.").
        """
        if self._locking or not self.session.is_unlocked:
            return
        self._locking = True
        try:
            self._restorers = self._snapshots()
            self.use_command_palette = False
            self._clipboard = ""
            self.clear_notifications()
            self._unlock_screen().reset(notice or _("The vault is locked."))
            await self.switch_mode(LOCKED_MODE)
            unlock_screen = self._unlock_screen()
            for worker in list(self.workers):
                if worker.node is not unlock_screen:
                    worker.cancel()
            self.session.lock()
            if VAULT_MODE in self._modes:
                await self.remove_mode(VAULT_MODE)
        finally:
            self._locking = False
        self.refresh_bindings()

    def _snapshots(self) -> list[Restorer]:
        """Asks each screen of the vault mode, bottom to top, how to rebuild it."""
        restorers: list[Restorer] = []
        for screen in self._screen_stacks.get(VAULT_MODE, []):
            snapshot = getattr(screen, "lock_snapshot", None)
            restorer = snapshot() if callable(snapshot) else None
            if restorer is not None:
                restorers.append(restorer)
        return restorers

    async def on_unlock_screen_unlocked(self, _message: UnlockScreen.Unlocked) -> None:
        """Brings back the screens of before the lock (`SCREENS["home"]` the first time)."""
        restorers = self._restorers or [screen_class("home")]
        self._restorers = []
        if VAULT_MODE in self._modes:
            await self.remove_mode(VAULT_MODE)
        self.add_mode(VAULT_MODE, restorers[0])
        await self.switch_mode(VAULT_MODE)
        for restorer in restorers[1:]:
            try:
                screen = restorer()
            except Exception:  # a screen that cannot come back must not block the unlock
                continue
            await self.push_screen(screen)
        self.use_command_palette = True
        self.session.touch()
        self.refresh_bindings()

    async def lock_if_idle(self) -> bool:
        """Locks when the adviser has been idle for the set minutes; returns whether it did."""
        if self.is_locked or not self.session.is_idle():
            return False
        minutes = self.session.idle_minutes
        await self.lock(
            ngettext(
                "Locked after {minutes} minute without activity.",
                "Locked after {minutes} minutes without activity.",
                minutes,
            ).format(minutes=minutes)
        )
        return True

    async def on_event(self, event: events.Event) -> None:
        """Counts key presses, clicks, scrolling and pasting as activity (not mouse moves)."""
        if (
            isinstance(event, events.InputEvent)
            and not event.is_forwarded
            and not isinstance(event, (events.MouseMove, events.Enter, events.Leave))
        ):
            self.session.touch()
        await super().on_event(event)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """While locked, only quitting and moving the focus are possible."""
        return not self.is_locked or action in self.ALLOWED_WHILE_LOCKED

    # -- actions -------------------------------------------------------------------------------

    async def action_lock(self) -> None:
        """Locks now (Ctrl+L, "Lock now")."""
        await self.lock()

    async def action_quit(self) -> None:
        """Locks (so the last screen drawn holds nothing) and leaves."""
        await self.lock("")
        self.exit()

    def action_help_quit(self) -> None:
        """Ctrl+C copies in text fields; elsewhere it says how to quit."""
        self.notify(_("Press Ctrl+Q to lock and quit."))

    def action_help(self) -> None:
        """Shows help for the current screen (F1)."""
        if type(self.screen).__name__ != "HelpScreen":
            self.push_screen(screen_class("help")())

    async def action_open_screen(self, name: str) -> None:
        """Opens a screen registered in `ui/commands.py`; "home" goes back to the start."""
        if name == "home":
            while len(self.screen_stack) > 1:
                await self.pop_screen()
            return
        wanted = screen_class(name)
        if not isinstance(self.screen, wanted):
            await self.push_screen(wanted())

    def action_command_palette(self) -> None:
        """Opens the command palette with Confidant's commands (only when unlocked)."""
        if self.use_command_palette and not self.is_locked and not CommandPalette.is_open(self):
            self.push_screen(
                CommandPalette(placeholder=_("Search for commands…"), id="--command-palette")
            )

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Confidant's commands; Textual's own (Screenshot, Theme, Keys) are left out."""
        if self.is_locked:
            return
        commands: list[PaletteCommand] = list(COMMANDS)
        if isinstance(screen, BaseScreen):
            commands.extend(screen.palette_commands())
        for command in commands:
            yield SystemCommand(
                translate(command.title), translate(command.help), self._runner(command.action)
            )

    def _runner(self, action: str) -> Callable[[], Any]:
        async def run() -> None:
            await self.run_action(action)

        return run

    # -- clipboard and errors ------------------------------------------------------------------

    def copy_to_clipboard(self, text: str) -> None:
        """Keeps copied text inside the app; never writes it to the terminal (no OSC 52)."""
        self._clipboard = text
        self.notify(_("Copied inside Confidant only; nothing goes to the system clipboard."))

    def show_error(self, error: ConfidantError) -> None:
        """Shows an adviser-facing error in the error dialog."""
        problems = error.problems if isinstance(error, ValidationError) else None
        self.push_screen(ErrorModal(error.message, problems))

    def _handle_exception(self, error: Exception) -> None:
        cause = error.error if isinstance(error, WorkerFailed) else error
        if isinstance(cause, VaultLocked) and self.is_locked:
            return
        if isinstance(cause, ConfidantError):
            self.call_later(self.show_error, cause)
            return
        super()._handle_exception(error)

    def _fatal_error(self) -> None:
        """Stops the app with a plain message: no traceback, no local variables."""
        self.bell()
        self._exit_renderables.append(
            Text(
                _(
                    "Error: something unexpected went wrong inside Confidant. Nothing was "
                    "changed in a way that loses saved work; please report this (without case "
                    "details)."
                )
            )
        )
        self._close_messages_no_wait()


def make_app(
    settings: Settings,
    vault_path: Path,
    *,
    clock: Clock = time.monotonic,
    demo_passphrase: str | None = None,
) -> ConfidantApp:
    """Builds the app for a vault; used by `confidant open`, `confidant demo` and the tests.

    Set the interface language (`i18n.set_language`) before calling this.

    Args:
        settings: the adviser's settings.
        vault_path: the vault's database file (it must exist).
        clock: seconds, for the idle lock (`time.monotonic`; tests pass a fake clock).
        demo_passphrase: show this passphrase on the unlock screen (demo vault only).
    """
    session = Session(vault_path, clock=clock, idle_minutes=settings.idle_minutes)
    return ConfidantApp(settings, session, demo_passphrase=demo_passphrase)
