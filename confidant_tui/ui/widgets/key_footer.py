"""Provides `KeyFooter`: Textual's footer, rebuilt only when the keys it shows change.

Textual's `Footer` removes and mounts all its keys again after every binding refresh, and
Textual refreshes the bindings on every focus change, every change of the screen stack and
every `refresh_bindings()`: opening a case file rebuilt the footer six times (about 70 key
widgets, each styled three times because `FooterKey` starts compact and is then bound to
the footer's `compact = False`). This footer collects the refreshes that arrive before the
next frame into one, compares the keys it would show with the keys on screen, and rebuilds
only when they differ; it is built with the screen's keys already (not empty, then again
once the bindings are known), and its keys start with the footer's own `compact`, so each
is styled once. What it shows, and a click on a key, are Textual's (binding groups are not used in
Confidant and are shown as single keys).

`benchmarks/textual_limits.py` measures Textual's footer beside this one.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Footer

from confidant_tui.i18n import N_
from confidant_tui.i18n import _ as translate
from confidant_tui.ui.textual_private import FOOTER_KEY


class _Key(NamedTuple):
    """One key as the footer shows it."""

    key: str
    display: str
    description: str
    action: str
    enabled: bool
    tooltip: str
    palette: bool


TEXTUAL_DESCRIPTIONS = (N_("Dismiss menu"),)
"""Descriptions of Textual's own widgets' keys that show in the footer (a select's open
list): translated here, where they are shown (Confidant's own are translated already)."""

PALETTE_ROOM = 16
"""Cells the palette key takes at the right ("▏^p Opdrachten", "▏^p Commands")."""


def _description(node: object, description: str) -> str:
    """A key's description as shown: Textual's own widgets' in the current language
    (`TEXTUAL_DESCRIPTIONS`); Confidant's bindings are translated already."""
    if description and type(node).__module__.startswith("textual."):
        return translate(description)
    return description


def _width(key: _Key) -> int:
    """Cells a key takes in the footer: its key, a space, its description, padded."""
    return cell_len(key.display) + 1 + cell_len(key.description) + 2


def _focus_as_textual_will(screen: Screen[Any]) -> None:
    """Focuses the widget Textual focuses once the screen is built (its `AUTO_FOCUS`), now:
    a screen's footer is built before that, and the focused widget's keys (Enter on a list)
    would otherwise appear a moment later, building the footer and laying out the screen
    a second time."""
    app = screen.app
    auto_focus = app.AUTO_FOCUS if screen.AUTO_FOCUS is None else screen.AUTO_FOCUS
    if not auto_focus or screen.focused is not None or not app.app_focus:
        return
    for widget in screen.query(auto_focus):
        if widget.focusable:
            screen.set_focus(widget)
            return


class _FooterKey(FOOTER_KEY):  # type: ignore[valid-type,misc]
    """A footer key that starts plain (not compact), as the footer it sits in."""

    compact = reactive(False)


class KeyFooter(Footer):
    """The key bindings of the screen, rebuilt only when they change (see the module)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._keys: tuple[_Key, ...] | None = None
        self._update_pending = False

    def compose(self) -> ComposeResult:
        if self._keys is None and self.is_attached:
            # The screen's keys are known as it is built: shown at once, they spare the
            # screen a second build of the footer and a second layout right after its first
            # (a binding refresh that keeps them changes nothing, see `_update_keys`).
            _focus_as_textual_will(self.screen)
            self._keys = self._shown_keys()
        for key in self._keys or ():
            # Textual's palette key is not bound to the footer's style: it stays compact.
            compact = self.compact or key.palette
            widget = _FooterKey(
                key.key,
                key.display,
                key.description,
                key.action,
                disabled=not key.enabled,
                tooltip=key.tooltip,
                classes="-command-palette -compact" if key.palette else "",
            )
            if compact:
                widget.set_reactive(_FooterKey.compact, True)
                widget.add_class("-compact", update=False)
            yield widget

    def watch_compact(self, compact: bool) -> None:
        """Shows the keys in the new style."""
        if self._keys is not None:
            self.refresh(recompose=True)

    def bindings_changed(self, screen: Screen[Any]) -> None:
        """Compares the keys once before the next frame, however often the bindings changed."""
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen and not self._update_pending:
            self._update_pending = True
            self.call_after_refresh(self._update_keys)

    async def _update_keys(self) -> None:
        self._update_pending = False
        if not self.is_attached:
            return
        keys = self._shown_keys()
        if keys != self._keys:
            self._keys = keys
            await self.recompose()

    def on_resize(self) -> None:
        """Another width may fit more or fewer of the app's own keys."""
        if self._keys is not None and self.is_attached:
            self.bindings_changed(self.screen)

    def _shown_keys(self) -> tuple[_Key, ...]:
        """The keys Textual's footer shows: one per action, then the palette key; the app's
        own keys (Ctrl+Q) only while the screen's keys leave room for them (they are in F1
        and the palette too), so a narrow terminal never cuts a screen's key in half."""
        app = self.app
        active = self.screen.active_bindings
        keys: dict[str, _Key] = {}
        app_keys: set[str] = set()
        for node, binding, enabled, tooltip in active.values():
            if binding.show and binding.action not in keys:
                keys[binding.action] = _Key(
                    binding.key,
                    app.get_key_display(binding),
                    _description(node, binding.description),
                    binding.action,
                    enabled,
                    tooltip,
                    palette=False,
                )
                if node is app:
                    app_keys.add(binding.action)
        shown = list(keys.values())
        # Before its first layout the footer has no size yet: it spans the screen.
        width = self.size.width or app.size.width
        room = width - PALETTE_ROOM
        while width and app_keys and sum(map(_width, shown)) > room:
            dropped = next(key for key in reversed(shown) if key.action in app_keys)
            shown.remove(dropped)
            app_keys.discard(dropped.action)
        if self.show_command_palette and app.ENABLE_COMMAND_PALETTE:
            palette = active.get(app.COMMAND_PALETTE_BINDING)
            if palette is not None:
                _node, binding, enabled, _tooltip = palette
                shown.append(
                    _Key(
                        binding.key,
                        app.get_key_display(binding),
                        binding.description,
                        binding.action,
                        enabled,
                        binding.tooltip or binding.description,
                        palette=True,
                    )
                )
        return tuple(shown)
