"""Provides `BaseScreen` and `BaseModal`: what every Confidant screen shares, and the lock rule.

Both reach the app's shared context (vault, settings, taxonomy, clock) as `self.context`
(see `ui/context.py`); nothing else of the app is read by attribute name.

What a screen must know about locking (read this before writing a case screen):

- When the app locks, every screen of the unlocked part of the app is removed (unmounted):
  no widget keeps case text while locked. Just before, the app calls `lock_snapshot()` on
  each screen, bottom to top. It returns a zero-argument callable that rebuilds the screen,
  or None to drop it. After the next unlock the app calls these callables in order and
  pushes the screens again, so the adviser is back where they were.
- The default rebuilds a fresh instance of the same class (no arguments). A screen that
  takes arguments (a case id) or holds a draft (an intake form) overrides `lock_snapshot`
  and captures what it needs, e.g. `return partial(IntakeScreen, case_id, draft=self.draft())`.
  The snapshot lives only in memory until the unlock; it must not do I/O or use the vault.
- Modals are dropped by default (an unanswered question is not answered by locking).
- Workers are cancelled and the vault is closed after the screens are hidden. A thread worker
  that touches the vault after that gets `VaultLocked` (take `context = self.context` first
  thing in the worker: a removed screen has no `app` any more); its messages go
  nowhere. Never call
  `app.call_from_thread` while inside `vault.transaction()`: the lock waits for the
  transaction, and the two would wait for each other. Post a message instead.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, ClassVar, Generic, TypeVar

from textual.await_complete import AwaitComplete
from textual.screen import ModalScreen, Screen

from confidant_tui.ui.bindings import LocalisedBindings
from confidant_tui.ui.commands import PaletteCommand
from confidant_tui.ui.context import AppContext, context_of

Restorer = Callable[[], Screen]
"""Rebuilds a screen after unlocking."""

ResultT = TypeVar("ResultT")


class DismissOnce:
    """Screen mixin: a screen is dismissed once; a second `dismiss` does nothing.

    Textual's `dismiss` pops whatever screen is current. A key already on its way when the
    first one closed a dialog (a fast `2` then `3` in a menu that picks by digit) would
    dismiss it again and so pop the screen below it, unseen.
    """

    _dismissed = False

    def dismiss(self, result: Any = None) -> AwaitComplete:
        """Dismisses the screen with `result`, the first time only."""
        if not isinstance(self, Screen):
            raise TypeError("DismissOnce is a mixin for screens")
        if self._dismissed:
            return AwaitComplete.nothing()
        self._dismissed = True
        return Screen.dismiss(self, result)


class BaseScreen(DismissOnce, LocalisedBindings, Screen[ResultT], Generic[ResultT]):
    """A full screen of Confidant: translated bindings, help text and the lock protocol.

    `ResultT` is what the screen hands back when dismissed (`BaseScreen[int | None]`).
    """

    HELP: ClassVar[str] = ""
    """English id (marked with `N_`) of a paragraph the help screen shows for this screen."""

    left_since_shown = False
    """Whether another screen has covered this one since it was first shown: a screen that
    reads its data again when the adviser comes back reads it on a resume only then (Textual
    may resume a new screen twice as it is first shown)."""

    @property
    def context(self) -> AppContext:
        """The app's context: vault, settings, taxonomy, clock (`ui/context.py`)."""
        return context_of(self.app)

    def on_screen_suspend(self) -> None:
        """Notes that another screen came on top (`left_since_shown`); Textual also calls a
        subclass's own handler."""
        self.left_since_shown = True

    def lock_snapshot(self) -> Restorer | None:
        """Returns how to rebuild this screen after unlocking (see the module docstring)."""
        return type(self)

    def palette_commands(self) -> Iterable[PaletteCommand]:
        """Commands the palette offers while this screen is on top (none by default)."""
        return ()


class BaseModal(DismissOnce, LocalisedBindings, ModalScreen[ResultT], Generic[ResultT]):
    """A dialog of Confidant: translated bindings; dropped when the app locks."""

    HELP: ClassVar[str] = ""

    @property
    def context(self) -> AppContext:
        """The app's context: vault, settings, taxonomy, clock (`ui/context.py`)."""
        return context_of(self.app)

    def lock_snapshot(self) -> Restorer | None:
        """Dialogs are not restored after unlocking."""
        return None

    def palette_commands(self) -> Iterable[PaletteCommand]:
        """No extra palette commands in dialogs."""
        return ()
