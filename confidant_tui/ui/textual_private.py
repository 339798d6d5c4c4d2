"""Provides every use of Textual's private API, in one place, so an upgrade breaks only here.

Confidant needs a few things Textual (pinned in `pyproject.toml`) offers no public way to
do: keep copies out of the terminal's clipboard, tell whether a mode exists, translate
binding descriptions per instance, hold and replay key presses, and replace the crash
report (which would print local variables, i.e. case text). Each is a small function here,
or an override in `AppHooks`, with a docstring naming the private attribute it relies on.
`tests/ui/test_textual_private.py` has one test per name that fails loudly when a Textual
upgrade removes or changes it; when one fails, fix the function here, not its callers.

Nothing else in `confidant_tui` touches a Textual name that starts with an underscore.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from rich.console import RenderableType
from textual import events
from textual.app import App
from textual.binding import Binding, BindingsMap
from textual.dom import DOMNode
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Select
from textual.widgets._footer import FooterKey

FOOTER_KEY: type[FooterKey] = FooterKey
"""Textual's widget for one key in the `Footer` (`textual.widgets._footer.FooterKey`, not
exported): `ui/widgets/key_footer.py` shows the same keys with it."""

ReturnT = TypeVar("ReturnT")
ScreenT = TypeVar("ScreenT", bound=Screen[Any])


def has_mode(app: App[Any], mode: str) -> bool:
    """Whether `mode` was added (`add_mode`) and not removed since.

    Relies on `App._modes`: a dict of the mode names to their base screens.
    """
    return mode in app._modes


def in_any_screen_stack(app: App[Any], screen: Screen[Any]) -> bool:
    """Whether `screen` is still on the stack of any mode (current or not).

    Relies on `App._screen_stacks`: a dict of the mode names to their stacks of screens.
    """
    return any(screen in stack for stack in app._screen_stacks.values())


def set_local_clipboard(app: App[Any], text: str) -> None:
    """Sets the app's own clipboard (what `app.clipboard` and paste read) without OSC 52.

    Relies on `App._clipboard`: the string `App.copy_to_clipboard` stores before it also
    writes the text to the terminal, which Confidant never does.
    """
    app._clipboard = text


async def run_priority_bindings(app: App[Any], key: str) -> bool:
    """Runs the priority bindings (e.g. Ctrl+Q, Ctrl+L) for `key`; whether one ran.

    Relies on `App._check_bindings(key, priority=True)`, which the app calls itself for
    every key before the focused widget sees it.
    """
    return await app._check_bindings(key, priority=True)


def forward_event(widget: Widget, event: events.Event) -> None:
    """Gives `widget` an event marked as forwarded (not counted again as the adviser's).

    Relies on `Widget._forward_event`, which sets `event.is_forwarded` and posts it.
    """
    widget._forward_event(event)


def styled_as_current(app: App[Any], screen: ScreenT) -> ScreenT:
    """Marks a screen not yet mounted as styled with the app's current CSS variables, so
    making it a mode's base screen does not reparse every stylesheet of the app.

    Textual reparses all stylesheets (twice) when it switches to a mode whose base screen's
    `Screen._css_update_count` differs from `App._css_update_count` (the theme changed since
    the screen was styled); a new screen has never been styled (-1), and is styled with the
    current stylesheet when it mounts, so the reparse gains nothing for it.
    """
    if not screen.is_mounted:
        screen._css_update_count = app._css_update_count
    return screen


def bindings_of(node: DOMNode) -> Iterable[tuple[str, Binding]]:
    """The key bindings of `node` (this instance's copy), as (key, binding) pairs.

    Relies on `DOMNode._bindings`: the instance's `BindingsMap`, copied from the class's
    merged `BINDINGS` in `DOMNode.__init__`.
    """
    return node._bindings


def set_bindings(node: DOMNode, bindings: Iterable[Binding]) -> None:
    """Replaces the key bindings of this instance of `node` (its class keeps its own).

    Relies on `DOMNode._bindings` (see `bindings_of`); the map is built with the public
    `BindingsMap.from_keys`, one list of bindings per key, in the order given.
    """
    keys: dict[str, list[Binding]] = {}
    for binding in bindings:
        keys.setdefault(binding.key, []).append(binding)
    node._bindings = BindingsMap.from_keys(keys)


def select_prompts(select: Select[Any]) -> list[tuple[RenderableType, object]]:
    """A `Select`'s options as (prompt shown, value) pairs, the blank one included.

    Relies on `Select._options`, the list `Select.set_options` builds.
    """
    return list(select._options)


def stop_with_message(app: App[Any], message: RenderableType) -> None:
    """Stops the app at once after an unhandled error, printing only `message` on exit.

    Relies on what `App._fatal_error` does: append to `App._exit_renderables` (printed after
    the terminal is restored) and `App._close_messages_no_wait()` (close the message queue
    without waiting for the handlers still queued).
    """
    app._exit_renderables.append(message)
    app._close_messages_no_wait()


class AppHooks(App[ReturnT]):
    """App base: Textual's private methods Confidant overrides, each handing over to a hook.

    Derive the app from it (instead of `App`) and override the hooks: `app_mounted`,
    `key_bubbled`, `screen_replaced`, `handles_error` and `fatal_error`.

    Relies on:
    - the `_on_<event>` handler names (`_on_mount`, `_on_key`): Textual calls one handler,
      `_on_x` or else `on_x`, from each class of the MRO (`MessagePump._get_dispatch_methods`),
      so these run besides the app's own `on_mount` and before `App._on_key`;
    - `App._replace_screen(screen)`: called for every screen popped or switched away from,
      returns it;
    - `App._handle_exception(error)`: called with every unhandled exception (worker errors
      arrive wrapped in `WorkerFailed`), and by default ends the app;
    - `App._fatal_error()`: called by `_handle_exception` to print the traceback and stop.
    """

    def _on_mount(self, _event: events.Mount) -> None:
        self.app_mounted()

    async def _on_key(self, event: events.Key) -> None:
        self.key_bubbled(event)

    async def _replace_screen(self, screen: Screen[Any]) -> Screen[Any]:
        replaced = await super()._replace_screen(screen)
        self.screen_replaced(replaced)
        return replaced

    def _handle_exception(self, error: Exception) -> None:
        if not self.handles_error(error):
            super()._handle_exception(error)

    def _fatal_error(self) -> None:
        self.fatal_error()

    def app_mounted(self) -> None:
        """Runs once the app is mounted (after the app's own `on_mount`)."""

    def key_bubbled(self, event: events.Key) -> None:
        """A key press no widget handled reached the app, before the app's bindings see it
        (`event.prevent_default()` keeps them from seeing it)."""

    def screen_replaced(self, screen: Screen[Any]) -> None:
        """`screen` was popped or switched away from (it may be on another mode's stack)."""

    def handles_error(self, error: Exception) -> bool:
        """Whether the app dealt with an unhandled `error` itself (False: Textual ends it)."""
        return False

    def fatal_error(self) -> None:
        """Stops the app after an unhandled error (Textual's default prints a traceback)."""
        super()._fatal_error()
