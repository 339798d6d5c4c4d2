"""Provides `LocalisedBindings` (translated binding descriptions) and `KeysWaitForScreens`.

Textual reads `BINDINGS` when a class is defined, so a description written as `_("Lock")`
would be frozen in whatever language was active at import. Instead, write descriptions as
English ids marked with `N_("Lock")`, and derive the screen (or app) from
`LocalisedBindings`: each instance translates its own copy of the bindings in its
`__init__`. A second app in the same process with another language shows the other
language (the UI tests do exactly that).

`KeysWaitForScreens` makes sure a key press never acts on a screen or dialog that is still
being built: see its docstring.
"""

from __future__ import annotations

import time
import weakref
from collections import OrderedDict
from dataclasses import dataclass, replace
from typing import Any
from weakref import WeakSet

from textual import events
from textual.app import App
from textual.dom import DOMNode
from textual.screen import Screen
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Input

from confidant_tui.i18n import _ as translate
from confidant_tui.ui.textual_private import (
    bindings_of,
    forward_event,
    run_priority_bindings,
    set_bindings,
)


def localise_bindings(node: DOMNode) -> None:
    """Replaces `node`'s bindings with a copy whose descriptions are in the current language.

    Args:
        node: a screen, widget or app whose `BINDINGS` descriptions are `N_()` ids.
    """
    set_bindings(
        node,
        (
            replace(
                binding,
                description=translate(binding.description) if binding.description else "",
                tooltip=translate(binding.tooltip) if binding.tooltip else "",
            )
            for _key, binding in bindings_of(node)
        ),
    )


class LocalisedBindings:
    """Mixin (put it first in the bases) that translates binding descriptions per instance."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        assert isinstance(self, DOMNode)
        localise_bindings(self)


@dataclass(frozen=True)
class _HeldKey:
    """A key press waiting for a screen to be built (see `KeysWaitForScreens`)."""

    number: int
    key: str
    character: str | None
    screen: weakref.ref[Screen[Any]]


class KeysWaitForScreens:
    """App mixin (before `AppHooks` in the bases): keys never act on a screen not yet built.

    Textual gives a key to whatever has the focus when the app reads it, and checks the
    screen's bindings when the key comes back up unhandled. While a screen or dialog is
    being built both go wrong for a fast typist: the focus is still on the screen below (or
    on the first widget of the new dialog, before its own `on_mount` moves it to the text
    field), so a sentence typed right after pressing `2` on the protocol screen would be
    lost or, worse, run single-letter bindings. This mixin is the one place that prevents
    it, for every screen and dialog alike:

    - A screen counts as *built* once it is mounted and the callbacks its `on_mount`
      scheduled after the first refresh (the usual way to set the first focus) have run.
      Every screen made current (pushed, switched to, a mode entered) is settled that way
      at once; `screen_change_signal` says when.
    - A key that arrives while the current screen is not built is held (priority keys such
      as Ctrl+Q and Ctrl+L still act at once). When the screen is built, the held keys go,
      in the order typed, to the focused widget if it is an editable text field (the
      adviser was typing, and that is where the typing belongs), a Tab or Shift+Tab among
      them moving on to the next or previous field first; otherwise they are all dropped
      (with a bell), so they never run a binding of the screen below nor a single-letter
      binding of the new one.
    - A key given to a widget of one screen that comes back up after another screen became
      current (the adviser typed on while the key before it opened a dialog) is treated the
      same way: it goes to the new screen's text field or is dropped, never to the new
      screen's bindings nor to the old screen's.
    """

    _REMEMBERED_KEYS = 512
    """How many recent key presses keep their screen (only keys still on their way matter)."""
    _RETRY_SECONDS = 0.1
    """While keys are held, how often the current screen is checked again."""
    _LONGEST_BUILD_SECONDS = 1.0
    """A screen mounted this long counts as built even if its refresh callbacks were lost."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._built_screens: WeakSet[Screen[Any]] = WeakSet()
        self._settling_screens: WeakSet[Screen[Any]] = WeakSet()
        self._held_keys: list[_HeldKey] = []
        self._key_number = 0
        self._held_since = 0.0
        self._held_timer: Timer | None = None
        self._key_screens: OrderedDict[int, tuple[int, weakref.ref[Screen[Any]]]] = OrderedDict()

    @property
    def _app(self) -> App[Any]:
        assert isinstance(self, App)
        return self

    def app_mounted(self) -> None:
        """Starts following screen changes (see `textual_private.AppHooks`)."""
        # A mixin: mypy cannot see that the next class in the MRO (AppHooks) has it.
        super().app_mounted()  # type: ignore[misc]
        app = self._app
        app.screen_change_signal.subscribe(app, self._screen_changed, immediate=True)
        self._settle(app.screen)

    def _screen_changed(self, screen: Screen[Any]) -> None:
        self._settle(screen)
        if self._held_keys:
            self._app.call_later(self._release_keys)

    async def on_event(self, event: events.Event) -> None:
        """Holds a key press while the current screen is being built."""
        if isinstance(event, events.Key) and not event.is_forwarded and await self._hold(event):
            return
        # A mixin: mypy cannot see that the next class in the MRO (App) has it.
        await super().on_event(event)  # type: ignore[misc]

    async def _hold(self, event: events.Key) -> bool:
        app = self._app
        screen = app.screen
        self._key_number += 1
        if screen in self._built_screens:
            if self._held_keys:
                self._release_keys()
            if self._move_field_now(event):
                return True
            self._remember(event, self._key_number, screen)
            return False
        if await run_priority_bindings(app, event.key):
            return True
        self._hold_key(_HeldKey(self._key_number, event.key, event.character, weakref.ref(screen)))
        self._settle(screen)
        return True

    def _move_field_now(self, event: events.Key) -> bool:
        """Tab (or Shift+Tab) in a text field moves to the next (previous) field at once.

        Textual gives a key to the focused field first and reaches the app's Tab binding
        only when the key comes back up from it; in a burst ("name Tab contact" typed fast,
        or pasted) the letters after the Tab have by then been given to the same field. So
        the app moves the focus itself, before it passes on the next key. A field or screen
        that binds Tab to something else (a text area that indents) keeps it; Textual's own
        screen binding (Tab to the next field) is what this does, sooner.
        """
        app = self._app
        focused = app.focused
        if event.key not in _FIELD_MOVES or not takes_typing(focused) or focused is None:
            return False
        from textual.widgets import TextArea  # see `takes_typing`

        if isinstance(focused, TextArea) and focused.tab_behavior != "focus":
            return False
        move = _FIELD_MOVES[event.key]
        for node in focused.ancestors_with_self:
            if node is app:
                break
            for key, binding in bindings_of(node):
                if key == event.key and binding.action.rpartition(".")[2] != move:
                    return False  # Tab does something else here (a screen's own binding)
        getattr(app.screen, move)()
        return True

    def _hold_key(self, held_key: _HeldKey) -> None:
        if not self._held_keys:
            self._held_since = time.monotonic()
        self._held_keys.append(held_key)
        if self._held_timer is None:
            self._held_timer = self._app.set_interval(self._RETRY_SECONDS, self._check_held)

    def _check_held(self) -> None:
        """While keys are held: settles the current screen again (a screen can be left
        before its refresh callbacks run), and after a second takes a mounted one as built."""
        screen = self._app.screen
        if not self._held_keys:
            self._stop_retrying()
        elif screen in self._built_screens:
            self._release_keys()
        elif (
            screen.is_mounted and time.monotonic() - self._held_since > self._LONGEST_BUILD_SECONDS
        ):
            self._built(screen)
        else:
            self._settling_screens.discard(screen)
            self._settle(screen)

    def _stop_retrying(self) -> None:
        if self._held_timer is not None:
            self._held_timer.stop()
            self._held_timer = None

    def key_bubbled(self, event: events.Key) -> None:
        """A key back from a screen that is no longer current is held, not bound."""
        origin = self._key_screens.pop(id(event), None)
        if origin is None:
            return
        number, screen = origin
        current = self._app.screen
        if screen() is current:
            return
        event.prevent_default()
        event.stop()
        self._hold_key(_HeldKey(number, event.key, event.character, weakref.ref(current)))
        self._release_keys()

    def _remember(self, event: events.Key, number: int, screen: Screen[Any]) -> None:
        self._key_screens[id(event)] = (number, weakref.ref(screen))
        self._key_screens.move_to_end(id(event))
        while len(self._key_screens) > self._REMEMBERED_KEYS:
            self._key_screens.popitem(last=False)

    def _settle(self, screen: Screen[Any]) -> None:
        """Marks `screen` built after its mount and the refresh callbacks it scheduled."""
        if screen in self._built_screens or screen in self._settling_screens:
            return
        self._settling_screens.add(screen)
        if not screen.call_after_refresh(self._settle_again, screen):
            self._settling_screens.discard(screen)

    def _settle_again(self, screen: Screen[Any]) -> None:
        if not screen.call_after_refresh(self._app.call_later, self._built, screen):
            self._settling_screens.discard(screen)

    def _built(self, screen: Screen[Any]) -> None:
        self._settling_screens.discard(screen)
        self._built_screens.add(screen)
        if self._held_keys:
            self._release_keys()

    def _release_keys(self) -> None:
        """Gives the held keys to the focused text field of the built current screen."""
        app = self._app
        screen = app.screen
        if screen not in self._built_screens:
            self._settle(screen)
            return
        held = sorted(self._held_keys, key=lambda held_key: held_key.number)
        self._held_keys = []
        self._stop_retrying()
        focused = app.focused
        dropped = 0
        for held_key in held:
            if (
                held_key.key in _FIELD_MOVES
                and held_key.screen() is screen
                and takes_typing(focused)
            ):
                # Tab between two typed fields moves on now, so what follows it lands in
                # the next field (a replayed Tab would move the focus only after every
                # later key had gone to this one).
                getattr(screen, _FIELD_MOVES[held_key.key])()
                focused = app.focused
                continue
            if held_key.screen() is not screen or not takes_typing(focused):
                dropped += 1
                continue
            assert focused is not None
            replay = events.Key(held_key.key, held_key.character)
            replay.set_sender(app)
            self._remember(replay, held_key.number, screen)
            forward_event(focused, replay)
        if dropped:
            app.bell()


_FIELD_MOVES = {"tab": "focus_next", "shift+tab": "focus_previous"}
"""Held keys that move between fields, and the screen's method that does it."""


def takes_typing(widget: Widget | None) -> bool:
    """Whether held keys may go to `widget`: an editable text field, where they are typing."""
    # Imported here: the app's first frame (the unlock screen) has no text area and goes
    # without Textual's text area module (7 ms of every start); `ui.warm_up` imports it.
    from textual.widgets import TextArea

    if isinstance(widget, TextArea):
        return not widget.read_only and not widget.disabled
    return isinstance(widget, Input) and not widget.disabled
