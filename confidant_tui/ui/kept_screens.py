"""Screens built once per unlock and shown again, instead of composed anew on every open.

Composing a screen with many widgets and applying the stylesheet to them costs Textual a few
hundred milliseconds (see `benchmarks/textual_limits.py`); a screen that only shows what it
reads afresh each time (the yearly report) can be kept after it was first shown and pushed
again. Such a screen sets `KEEP_PER_UNLOCK = True` and resets itself in `reopened()`
(called before it is pushed again).

Nothing is kept across a lock: `drop_kept` removes the kept screens, with every figure they
show, when the vault closes.
"""

from __future__ import annotations

from typing import Any
from weakref import WeakKeyDictionary

from textual.app import App
from textual.screen import Screen

PREFIX = "kept:"
"""Installed-screen names of kept screens (apart from any other installed screen)."""

_kept: WeakKeyDictionary[App[Any], set[str]] = WeakKeyDictionary()
"""The names installed by `open_kept`, per app."""


def keeps(screen_type: type[Screen[Any]]) -> bool:
    """Whether screens of this type are kept per unlock."""
    return bool(getattr(screen_type, "KEEP_PER_UNLOCK", False))


async def open_kept(app: App[Any], name: str, screen_type: type[Screen[Any]]) -> None:
    """Pushes the kept screen `name`, built the first time; a fresh one while the kept one
    is still somewhere in the stack (a screen cannot stand in it twice)."""
    key = PREFIX + name
    if not app.is_screen_installed(key):
        app.install_screen(screen_type(), key)
        _kept.setdefault(app, set()).add(key)
    kept = app.get_screen(key)
    if kept in app.screen_stack:
        await app.push_screen(screen_type())
        return
    if kept.is_mounted:
        reopen = getattr(kept, "reopened", None)
        if reopen is not None:
            reopen()
    await app.push_screen(key)


async def drop_kept(app: App[Any]) -> None:
    """Forgets and removes every kept screen (on lock, after the vault's screens left the
    stack)."""
    for key in sorted(_kept.pop(app, set())):
        screen = app.get_screen(key)
        app.uninstall_screen(key)
        if screen.is_mounted:
            await screen.remove()
