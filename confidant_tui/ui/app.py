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
  it; unlocking rebuilds the screens in order. See `ui/base.py` for what a screen with
  a draft must do. Locking happens with Ctrl+L, the "Lock now" command, Ctrl+Q (lock, then
  quit) and after `settings.idle_minutes` without a key press or click (`lock_if_idle`, run
  every few seconds by a timer; the clock is injected, so tests advance it instead of
  sleeping).
- **Drafts.** Unsaved forms are also stored in the vault, encrypted, as drafts (`ui/drafts.py`,
  `services/drafts.py`, the app's side in `ui/app_drafts.py`): when locking (so a process
  killed while locked loses nothing) and on SIGTERM or SIGHUP (`ui/app_signals.py`: nobody
  can answer a dialog), which then closes the vault and exits. After unlocking, stored drafts
  not already back on screen are offered. Ctrl+Q and the palette's Quit ask first when a
  form or dialog holds unsaved text.
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
- **Textual's private API** is used only through `ui/textual_private.py` (the app derives
  from its `AppHooks`), so a Textual upgrade that changes it breaks in one place.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, cast

from rich.text import Text
from textual import events
from textual.app import SystemCommand
from textual.binding import Binding
from textual.command import CommandPalette
from textual.reactive import Reactive
from textual.screen import Screen
from textual.theme import Theme
from textual.worker import WorkerFailed

from confidant_tui.domain.clock import Clock, SystemClock
from confidant_tui.errors import ConfidantError, ValidationError, VaultLocked
from confidant_tui.i18n import N_, SUPPORTED_LANGUAGES, _, get_language, ngettext, set_language
from confidant_tui.i18n import _ as translate
from confidant_tui.services.session import Session
from confidant_tui.settings import Settings
from confidant_tui.ui.app_drafts import DraftKeeping
from confidant_tui.ui.app_signals import StopOnSignal
from confidant_tui.ui.base import BaseScreen, Restorer
from confidant_tui.ui.bindings import KeysWaitForScreens, LocalisedBindings
from confidant_tui.ui.commands import COMMANDS, PaletteCommand, screen_class
from confidant_tui.ui.context import AppContext
from confidant_tui.ui.kept_screens import drop_kept, keeps, open_kept
from confidant_tui.ui.language import retranslate_bindings
from confidant_tui.ui.screens.unlock import UnlockScreen
from confidant_tui.ui.textual_private import (
    has_mode,
    set_local_clipboard,
    stop_with_message,
    styled_as_current,
)
from confidant_tui.ui.theme import CONFIDANT_THEME
from confidant_tui.ui.warm_up import thaw, warm_up

if TYPE_CHECKING:
    from textual.widget import AwaitMount

    from confidant_tui.services.deadlines import DueList
    from confidant_tui.services.organisations import Organisation
    from confidant_tui.ui.screens.case_list import CaseListScreen
    from confidant_tui.ui.screens.today import TodayScreen

# The app's first frame is the unlock screen: what only the open vault needs (drafts,
# dialogs, the palette, the vault's code behind them) is imported where it is used, and in
# advance by `ui.warm_up` while the passphrase is typed.

LOCKED_MODE = "locked"
VAULT_MODE = "vault"
REBUILD_MODE = "rebuild"
"""A mode with one empty screen, current only while `use_language` rebuilds the vault's."""
IDLE_CHECK_SECONDS = 5.0
"""How often the idle time is checked; the lock comes at most this late."""


class ConfidantApp(LocalisedBindings, KeysWaitForScreens, StopOnSignal, DraftKeeping):
    """The Confidant app; build it with `make_app`.

    Args:
        context: the session, settings, taxonomy and clock the screens share (`ui/context.py`).
        demo_passphrase: shown on the unlock screen of the demo vault.
        vault_check: checks the vault before the adviser can type (`confidant open`: its
            header); run just after the first frame, so the vault's code it imports is not
            in the way of that frame. A `ConfidantError` it raises ends the app at once and
            is kept in `vault_error`, for the command line to report.
    """

    CSS_PATH: ClassVar = ["app.tcss", UnlockScreen.CSS_PATH]
    """The unlock screen's stylesheet too: read with the app's, it is parsed once before the
    first frame (a screen's own stylesheet, read when the screen mounts, makes Textual
    parse every stylesheet again)."""
    TITLE = "Confidant"
    DEFAULT_MODE = LOCKED_MODE
    theme: Reactive[str] = Reactive(CONFIDANT_THEME.name)
    """Confidant's theme from the start: set in `on_mount`, Textual would parse every
    stylesheet again before the first frame (see `get_theme`)."""
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
        self,
        context: AppContext,
        *,
        demo_passphrase: str | None = None,
        vault_check: Callable[[], None] | None = None,
    ) -> None:
        super().__init__()
        self.context = context
        self.demo_passphrase = demo_passphrase
        self.vault_check = vault_check
        self.vault_error: ConfidantError | None = None
        """What `vault_check` raised (the app then ended at once), else None."""
        self._restorers: list[Restorer] = []
        self._locking = False
        self._asking_quit = False
        self.use_command_palette = False
        self.register_theme(CONFIDANT_THEME)
        self.add_class(f"-theme-{CONFIDANT_THEME.name}", update=False)  # as Textual's watcher

    # -- set-up --------------------------------------------------------------------------------

    def get_theme(self, theme_name: str) -> Theme | None:
        """Confidant's theme is known from the start, so the app's first stylesheet (made
        while Textual's `App.__init__` runs) already has its colours."""
        if theme_name == CONFIDANT_THEME.name:
            return CONFIDANT_THEME
        return super().get_theme(theme_name)

    def get_default_screen(self) -> UnlockScreen:
        """The unlock screen, the base screen of the "locked" mode (`DEFAULT_MODE`).

        The mode itself is added once the app is mounted (`on_mount`): Textual composes the
        app while it waits for the base screen of an added mode to be mounted, and the screen
        is then laid out and rendered twice before the first frame; the default screen is
        mounted alongside instead, as in any Textual app.
        """
        return self._make_unlock_screen()

    def _make_unlock_screen(self) -> UnlockScreen:
        return styled_as_current(
            self,
            UnlockScreen(
                self.session,
                demo_passphrase=self.demo_passphrase,
                prefetch=self._prefetch_today,
            ),
        )

    def on_mount(self) -> None:
        self.add_mode(LOCKED_MODE, self._make_unlock_screen)  # its stack is there already
        self.sub_title = _("Encrypted case register")
        self.set_interval(IDLE_CHECK_SECONDS, self.lock_if_idle, name="idle-lock")
        self.install_signal_handlers()
        if self.vault_check is not None:
            self.call_after_refresh(self._check_vault)
        self.call_after_refresh(warm_up, self)  # while the passphrase is typed

    def _check_vault(self) -> None:
        """Runs `vault_check` once, on the app's loop (keys typed meanwhile wait for it)."""
        check, self.vault_check = self.vault_check, None
        if check is None:
            return
        try:
            check()
        except ConfidantError as error:
            self.vault_error = error
            self.exit(return_code=int(error.exit_code))

    def on_unmount(self) -> None:
        """Gives the objects frozen by `warm_up` back to the garbage collector."""
        thaw()

    @property
    def session(self) -> Session:
        """The session: the one place the open vault lives."""
        return self.context.session

    @property
    def settings(self) -> Settings:
        """The adviser's settings in use."""
        return self.context.settings

    def apply_settings(self, settings: Settings) -> None:
        """Uses new settings from now on: the idle lock at once; a new language once the
        settings screen has closed (`use_language`)."""
        language_before = self.context.settings.language
        self.context = self.context.with_settings(settings)
        self.session.idle_minutes = settings.idle_minutes
        if settings.language != language_before:
            self.call_later(self.use_language, settings.language)

    async def use_language(self, language: str) -> None:
        """Shows Confidant in `language` from now on, without a restart.

        The app's texts and keys are translated again, the unlock screen is composed again,
        and every screen of the open vault is rebuilt from its lock snapshot, bottom to top,
        as after unlocking: what was typed in a form stays. A dialog among them (which has
        no snapshot) would be lost, so then the language waits for the next start. The
        settings screen, the one place to change it, has closed by then.
        """
        if language == get_language() or language not in SUPPORTED_LANGUAGES:
            return
        screens = self.vault_screens()
        restorers = [getattr(screen, "lock_snapshot", lambda: None)() for screen in screens]
        if None in restorers:
            self.notify(_("The new language applies the next time you start Confidant."))
            return
        set_language(language)
        retranslate_bindings(self)
        self.sub_title = _("Encrypted case register")
        await self._unlock_screen().retranslate()
        if screens and not self.is_locked:
            await self._rebuild_vault_screens(screens, [r for r in restorers if r is not None])
        self.refresh_bindings()

    async def _rebuild_vault_screens(
        self, screens: list[Screen[Any]], restorers: list[Restorer]
    ) -> None:
        from confidant_tui.ui import drafts as ui_drafts

        draft_ids = [getattr(screen, ui_drafts.DRAFT_ID, None) for screen in screens]
        self.add_mode(REBUILD_MODE, Screen)  # an empty screen while the old ones go
        await self.switch_mode(REBUILD_MODE)
        await self.remove_mode(VAULT_MODE)
        await drop_kept(self)  # built in the old language
        home = restorers[0]
        self.add_mode(VAULT_MODE, lambda: styled_as_current(self, home()))
        await self.switch_mode(VAULT_MODE)
        setattr(self.screen, ui_drafts.DRAFT_ID, draft_ids[0])
        for restorer, draft_id in zip(restorers[1:], draft_ids[1:], strict=True):
            screen = restorer()
            setattr(screen, ui_drafts.DRAFT_ID, draft_id)
            await self.push_screen(screen)
        await self.remove_mode(REBUILD_MODE)

    def apply_organisations(self, organisations: Iterable[Organisation]) -> None:
        """Uses the vault's organisations as they are now (after the organisations screen
        changed one): the taxonomy gets their own terms, new cases their rules."""
        self.context = self.context.with_organisations(organisations)

    # -- lock and unlock -----------------------------------------------------------------------

    @property
    def is_locked(self) -> bool:
        """Whether the vault is closed (the unlock screen is showing)."""
        return not self.session.is_unlocked or self._locking

    def _unlock_screen(self) -> UnlockScreen:
        screen = self.get_screen_stack(LOCKED_MODE)[0]
        assert isinstance(screen, UnlockScreen)
        return screen

    def vault_screens(self) -> list[Screen[Any]]:
        """The screens of the open vault, bottom to top (none while locked)."""
        try:
            return self.get_screen_stack(VAULT_MODE)
        except KeyError:
            return []

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
            self._restorers = self.take_drafts(keep_drafts).restorers
            self.use_command_palette = False
            set_local_clipboard(self, "")
            self.clear_notifications()
            self._unlock_screen().reset(notice or _("The vault is locked."))
            await self.switch_mode(LOCKED_MODE)
            unlock_screen = self._unlock_screen()
            for worker in list(self.workers):
                if worker.node is not unlock_screen:
                    worker.cancel()
            self.write_pending_drafts()
            self.session.lock()
            if has_mode(self, VAULT_MODE):
                await self.remove_mode(VAULT_MODE)
            await drop_kept(self)
        finally:
            self._locking = False
        self.refresh_bindings()

    async def on_unlock_screen_unlocked(self, message: UnlockScreen.Unlocked) -> None:
        """Brings back the screens of before the lock (`SCREENS["home"]` the first time)."""
        from confidant_tui.ui import drafts as ui_drafts

        self.context = self.context.with_organisations(message.organisations)
        today_follows = not self._restorers and self.settings.today_on_unlock
        restorers = self._restorers or [self._new_home(covered=today_follows)]
        draft_ids = self.restored_draft_ids()
        self._restorers = []
        if has_mode(self, VAULT_MODE):
            await self.remove_mode(VAULT_MODE)
        home = restorers[0]
        self.add_mode(VAULT_MODE, lambda: styled_as_current(self, home()))
        mounted = self.switch_mode(VAULT_MODE)
        if today_follows:  # what is due, on the home screen
            await self._push_today_on_home(cast("DueList | None", message.prefetched), mounted)
        await mounted
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
        self.offer_stored_drafts()

    @staticmethod
    def _new_home(*, covered: bool) -> Restorer:
        """The home screen built anew; `covered`: the today view comes on top of it at once
        (see `_push_today_on_home`)."""
        home = cast("type[CaseListScreen]", screen_class("home"))
        return functools.partial(home, covered=covered)

    async def _push_today_on_home(self, due: DueList | None, home_mounted: AwaitMount) -> None:
        """Pushes the today view on the home screen while that is being mounted, so the
        today view is laid out and drawn first; built with `due` when the unlock's worker
        read it. The home screen, covered, reads its first page once the today view has been
        drawn: the adviser sees what is due first, and Escape finds the list ready."""
        today = cast("type[TodayScreen]", screen_class("today"))(due)
        await self.push_screen(today)
        await home_mounted
        home = cast("CaseListScreen", self.screen_stack[0])
        today.call_after_refresh(home.reload)

    def _prefetch_today(self) -> object:
        """What the today view shows when it opens after this unlock (read in the unlock's
        worker, so the view is built with it and drawn once); None when it does not open
        (the screens of before a lock come back instead) or the read failed (the view then
        reads it itself and says what failed)."""
        context = self.context
        if self._restorers or not context.settings.today_on_unlock:
            return None
        try:
            return screen_class("today").prefetch(context)  # type: ignore[attr-defined]
        except ConfidantError:
            return None

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
            unsaved = self.unsaved_forms()
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
        if isinstance(self.screen, wanted):
            return
        if keeps(wanted):
            await open_kept(self, name, wanted)
        else:
            await self.push_screen(wanted())

    def action_command_palette(self) -> None:
        """Opens the command palette with Confidant's commands (only when unlocked)."""
        if (
            self.use_command_palette
            and not self.is_locked
            and not isinstance(self.screen, CommandPalette)
        ):
            from confidant_tui.ui.palette import LocalisedPalette

            self.push_screen(LocalisedPalette(id="--command-palette"))

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
        set_local_clipboard(self, text)
        self.notify(_("Copied inside Confidant only; nothing goes to the system clipboard."))

    def show_error(self, error: ConfidantError) -> None:
        """Shows an adviser-facing error in the error dialog."""
        from confidant_tui.ui.modals.error import ErrorModal

        problems = error.problems if isinstance(error, ValidationError) else None
        self.push_screen(ErrorModal(error.message, problems))

    def handles_error(self, error: Exception) -> bool:
        """A `ConfidantError` (raised in a worker) is shown in the error dialog; a
        `VaultLocked` once locked is expected. Anything else ends the app (`fatal_error`)."""
        cause = error.error if isinstance(error, WorkerFailed) else error
        if isinstance(cause, VaultLocked) and self.is_locked:
            return True
        if isinstance(cause, ConfidantError):
            self.call_later(self.show_error, cause)
            return True
        return False

    def fatal_error(self) -> None:
        """Stops the app with a plain message: no traceback, no local variables."""
        self.bell()
        stop_with_message(
            self,
            Text(
                _(
                    "Error: something unexpected went wrong inside Confidant. Nothing was "
                    "changed in a way that loses saved work; please report this (without case "
                    "details)."
                )
            ),
        )


def make_app(
    settings: Settings,
    vault_path: Path,
    *,
    clock: Clock | None = None,
    demo_passphrase: str | None = None,
    vault_check: Callable[[], None] | None = None,
) -> ConfidantApp:
    """Builds the app for a vault; used by `confidant open`, `confidant demo` and the tests.

    This is where the app's context is made (`ui/context.py`): the session, the settings,
    the taxonomy of their levels and the clock. Set the interface language
    (`i18n.set_language`) before calling this.

    Args:
        settings: the adviser's settings.
        vault_path: the vault's database file (it must exist).
        clock: today, now and the idle seconds (default `SystemClock`; tests pass a
            `FixedClock` and move it by hand).
        demo_passphrase: show this passphrase on the unlock screen (demo vault only).
        vault_check: see `ConfidantApp`.
    """
    clock = clock if clock is not None else SystemClock()
    session = Session(vault_path, clock=clock.monotonic, idle_minutes=settings.idle_minutes)
    context = AppContext.build(session, settings, clock)
    return ConfidantApp(context, demo_passphrase=demo_passphrase, vault_check=vault_check)
