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
- **Drafts.** Unsaved forms are also stored in the vault, encrypted, as drafts (`ui/drafts.py`,
  `services/drafts.py`): when locking (so a process killed while locked loses nothing) and on
  SIGTERM or SIGHUP (`stop_on_signal`: nobody can answer a dialog), which then closes the
  vault and exits. After unlocking, stored drafts not already back on screen are offered.
  Ctrl+Q and the palette's Quit ask first when a form or dialog holds unsaved text.
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

import asyncio
import os
import signal
import threading
import time
from collections.abc import Callable, Iterable
from contextlib import suppress
from pathlib import Path
from typing import Any, ClassVar

from rich.text import Text
from textual import events, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.command import CommandPalette
from textual.screen import Screen
from textual.worker import WorkerFailed

from confidant_tui.errors import ConfidantError, ExitCode, ValidationError, VaultLocked
from confidant_tui.i18n import N_, _, ngettext
from confidant_tui.i18n import _ as translate
from confidant_tui.services.drafts import Draft
from confidant_tui.services.session import Clock, Session
from confidant_tui.settings import Settings
from confidant_tui.ui import drafts as ui_drafts
from confidant_tui.ui.bindings import KeysWaitForScreens, LocalisedBindings
from confidant_tui.ui.commands import COMMANDS, PaletteCommand, screen_class
from confidant_tui.ui.modals.error import ErrorModal
from confidant_tui.ui.screens.base import BaseScreen, Restorer
from confidant_tui.ui.screens.unlock import UnlockScreen
from confidant_tui.ui.theme import CONFIDANT_THEME

LOCKED_MODE = "locked"
VAULT_MODE = "vault"
IDLE_CHECK_SECONDS = 5.0
"""How often the idle time is checked; the lock comes at most this late."""
STOP_SIGNALS = (signal.SIGTERM, signal.SIGHUP)
"""Signals after which the app stores its drafts in the vault and exits."""


class ConfidantApp(LocalisedBindings, KeysWaitForScreens, App[None]):
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
        self._restorer_drafts: dict[int, int] = {}
        self._pending_drafts: tuple[ui_drafts.Collected, bool] | None = None
        self._locking = False
        self._stopping = False
        self._asking_quit = False
        self._signal_handlers: dict[int, Any] = {}
        self._terminal_fds: list[int] = []
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
        self._install_signal_handlers()

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

    async def lock(self, notice: str | None = None, *, keep_drafts: bool = True) -> None:
        """Hides every case screen, cancels their workers, closes the vault, forgets the key.

        Args:
            notice: shown on the unlock screen (default: "The vault is locked.").
            keep_drafts: also store unsaved forms in the vault as drafts (False: the adviser
                chose to discard them; drafts they were restored from are deleted).
        """
        if self._locking or not self.session.is_unlocked:
            return
        self._locking = True
        try:
            collected = ui_drafts.collect(self._screen_stacks.get(VAULT_MODE, []))
            self._restorers = collected.restorers
            self._pending_drafts = (collected, keep_drafts)
            self.use_command_palette = False
            self._clipboard = ""
            self.clear_notifications()
            self._unlock_screen().reset(notice or _("The vault is locked."))
            await self.switch_mode(LOCKED_MODE)
            unlock_screen = self._unlock_screen()
            for worker in list(self.workers):
                if worker.node is not unlock_screen:
                    worker.cancel()
            self._restorer_drafts = self._write_pending_drafts()
            self.session.lock()
            if VAULT_MODE in self._modes:
                await self.remove_mode(VAULT_MODE)
        finally:
            self._locking = False
        self.refresh_bindings()

    def _write_pending_drafts(self) -> dict[int, int]:
        """Stores the drafts taken by `lock` or `stop_on_signal` (once) in one transaction.

        Returns which restorer (by index) rebuilds the form of which stored draft. A failed
        write is not an error here: the forms stay in memory, the app goes on locking or
        stopping.
        """
        from confidant_tui.services.drafts import save_drafts

        pending, self._pending_drafts = self._pending_drafts, None
        if pending is None:
            return {}
        collected, keep = pending
        drafts = collected.drafts if keep else []
        if not drafts and not collected.replacing:
            return {}
        try:
            ids = save_drafts(self.session.vault, drafts, replacing=collected.replacing)
        except Exception:
            return {}
        if not keep:
            return {}
        return {i: d for i, d in zip(collected.restorer_of, ids, strict=True) if i is not None}

    async def on_unlock_screen_unlocked(self, _message: UnlockScreen.Unlocked) -> None:
        """Brings back the screens of before the lock (`SCREENS["home"]` the first time)."""
        restorers = self._restorers or [screen_class("home")]
        draft_ids, self._restorer_drafts = self._restorer_drafts, {}
        self._restorers = []
        if VAULT_MODE in self._modes:
            await self.remove_mode(VAULT_MODE)
        self.add_mode(VAULT_MODE, restorers[0])
        await self.switch_mode(VAULT_MODE)
        for index, restorer in enumerate(restorers[1:], start=1):
            try:
                screen = restorer()
            except Exception:  # a screen that cannot come back must not block the unlock
                continue
            setattr(screen, ui_drafts.DRAFT_ID, draft_ids.get(index))
            await self.push_screen(screen)
        self.use_command_palette = True
        self.session.touch()
        self.refresh_bindings()
        self._offer_stored_drafts()

    @work(thread=True, exclusive=True, group="draft-offer", exit_on_error=False)
    def _offer_stored_drafts(self) -> None:
        """Reads the stored drafts and offers those whose form is not open again."""
        from confidant_tui.services.drafts import list_drafts

        session = self.session
        try:
            stored = list_drafts(session.vault)
        except VaultLocked:
            return
        if stored:
            self.call_from_thread(self._offer_next, stored)

    def _offer_next(self, waiting: list[Draft]) -> None:
        """Asks about the first waiting draft: continue editing, discard or later."""
        from confidant_tui.ui.modals.draft_offer import DISCARD, RESTORE, DraftOfferModal
        from confidant_tui.ui.modals.draft_text import DraftTextModal

        if self.is_locked:
            return
        held = set(ui_drafts.held_ids(self._screen_stacks.get(VAULT_MODE, [])))
        waiting = [draft for draft in waiting if draft.id not in held]
        if not waiting:
            return
        draft, rest = waiting[0], waiting[1:]

        def read(done: bool | None) -> None:
            if done:
                self._forget_draft(draft.id)
            self._offer_next(rest)

        def answered(choice: str | None) -> None:
            if choice == RESTORE:
                restorer = ui_drafts.restorer_for(draft)
                if restorer is None:
                    self.push_screen(DraftTextModal(draft), read)
                    return
                screen = restorer()
                setattr(screen, ui_drafts.DRAFT_ID, draft.id)
                self.push_screen(screen)
            elif choice == DISCARD:
                self._forget_draft(draft.id)
            self._offer_next(rest)

        self.push_screen(DraftOfferModal(draft), answered)

    async def _replace_screen(self, screen: Screen) -> Screen:
        """Textual's removal of a screen; a form built from a stored draft that is left
        (saved, or discarded) deletes that draft. Locking and stopping keep it."""
        replaced = await super()._replace_screen(screen)
        draft_id = getattr(replaced, ui_drafts.DRAFT_ID, None)
        gone = all(replaced not in stack for stack in self._screen_stacks.values())
        if isinstance(draft_id, int) and gone and not (self._locking or self._stopping):
            setattr(replaced, ui_drafts.DRAFT_ID, None)
            self._forget_draft(draft_id)
        return replaced

    @work(thread=True, group="draft-forget", exit_on_error=False)
    def _forget_draft(self, draft_id: int) -> None:
        from confidant_tui.services.drafts import discard_drafts

        discard_drafts(self.session.vault, [draft_id])

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
        """Locks (so the last screen drawn holds nothing) and leaves (Ctrl+Q, "Quit").

        With unsaved text in a form or dialog it asks first; "Keep editing" is the default
        button, so a reflexive Enter loses nothing.
        """
        if self._asking_quit:
            return
        if not self.is_locked:
            unsaved = ui_drafts.collect(self._screen_stacks.get(VAULT_MODE, [])).labels
            if unsaved:
                from confidant_tui.ui.modals.confirm import ConfirmModal

                self._asking_quit = True
                question = _("Unsaved text in {forms}. Quit and discard it?").format(
                    forms=", ".join(unsaved)
                )
                self.push_screen(
                    ConfirmModal(
                        question,
                        confirm=_("Discard and quit"),
                        cancel=_("Keep editing"),
                        danger=True,
                    ),
                    self._quit_answered,
                )
                return
        await self._quit()

    def _quit_answered(self, discard: bool | None) -> None:
        self._asking_quit = False
        if discard:
            self.call_later(self._quit)

    async def _quit(self) -> None:
        await self.lock("", keep_drafts=False)
        self.exit()

    # -- signals -------------------------------------------------------------------------------

    def _install_signal_handlers(self) -> None:
        """Handles SIGTERM and SIGHUP on the app's loop (not in headless tests)."""
        if self.is_headless or threading.current_thread() is not threading.main_thread():
            return
        loop = asyncio.get_running_loop()
        self._terminal_fds = [fd for fd in (1, 2) if os.isatty(fd)]
        for signum in STOP_SIGNALS:
            previous = signal.getsignal(signum)
            try:
                loop.add_signal_handler(signum, self.stop_on_signal, signum)
            except (NotImplementedError, RuntimeError, ValueError):
                continue
            self._signal_handlers[signum] = previous

    def on_unmount(self) -> None:
        """Gives the signals back to whoever handled them before (the CLI's demo clean-up)."""
        loop = asyncio.get_running_loop()
        for signum, previous in self._signal_handlers.items():
            with suppress(Exception):
                loop.remove_signal_handler(signum)
                signal.signal(signum, previous if previous is not None else signal.SIG_DFL)
        self._signal_handlers = {}

    def _leave_lost_terminal(self) -> None:
        """Points output at /dev/null when the terminal is gone (SIGHUP after the window
        closed), so the last screen updates and Python's final flush do not fail."""
        for fd in self._terminal_fds:
            with suppress(OSError):
                if not os.isatty(fd):
                    null = os.open(os.devnull, os.O_WRONLY)
                    os.dup2(null, fd)
                    os.close(null)

    def stop_on_signal(self, signum: int) -> None:
        """Stores the open forms in the vault as drafts, closes the vault and exits.

        Runs on SIGTERM and SIGHUP (a closed terminal): nobody can answer a dialog. Every
        step is guarded: when the vault cannot be written the app still closes it and exits.
        While locked there is nothing to do: locking already stored the drafts.

        Args:
            signum: the signal received.
        """
        if self._stopping:
            return
        self._stopping = True
        self._leave_lost_terminal()
        try:
            if self.session.is_unlocked:
                if self._pending_drafts is None and not self._locking:
                    collected = ui_drafts.collect(self._screen_stacks.get(VAULT_MODE, []))
                    self._pending_drafts = (collected, True)
                self._write_pending_drafts()
        except Exception:
            pass
        finally:
            with suppress(Exception):
                self.session.lock()
            self.exit(return_code=int(ExitCode.INTERRUPTED))

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
