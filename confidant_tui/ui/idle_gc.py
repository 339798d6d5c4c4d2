"""Provides `IdleCollector`: Python's full garbage collections while the adviser pauses, not
inside a key press.

Now and then Python's collector walks every object that can hold others (its oldest
generation). After browsing, most of those are the lines Textual keeps drawn for the screens
shown (each cached line holds several small caches of its own): about 100,000 objects, and
each walk took 20-100 ms, one every seven or so actions, inside whichever key allocated
enough first (at 50,000 cases a case that opens in 75 ms then took 110-180 ms).

`warm_up` moves what start-up loaded out of the collector's sight (`gc.freeze`). This
continues it:

- **While the adviser works**, every `CHECK_SECONDS` what was made since is frozen too, so a
  walk that Python starts by itself covers only the last fraction of a second.
- **At a pause** (no key, click or paste for `IDLE_SECONDS`, after some activity), it walks
  everything once (`gc.unfreeze`, `gc.collect`) and freezes what is still alive.

Garbage that got frozen (a screen closed after it was frozen) waits for the next pause. So
that an adviser who never pauses does not pile it up, freezing stops once the frozen
objects have grown by `MOST_GROWTH` times what was alive after the last walk: Python's own
walks then collect what is made from there on, as they did without this (walking
everything at that moment would stop a key for 100-230 ms). `warm_up.thaw` gives the
frozen objects back when the app ends.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable

IDLE_SECONDS = 2.0
"""A pause this long, after some activity, is when the full walk runs."""
CHECK_SECONDS = 0.5
"""How often the app freezes what was made meanwhile, or sees a pause (`IdleCollector.tick`)."""
MOST_GROWTH = 1.0
"""How much the frozen objects may grow (as a share of what was alive after the last walk)
before freezing stops until the next pause."""


class IdleCollector:
    """Freezes new objects while the adviser works and walks them all at a pause.

    Args:
        clock: seconds from an arbitrary start (`time.monotonic`; tests give their own).
    """

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._last_activity = clock()
        self._pending = False
        """Whether there was activity since the last walk."""
        self._alive: int | None = None
        """The objects frozen after the last walk (what was alive then); before the first,
        what was frozen at the first check (after `warm_up`, which froze start-up's)."""

    def activity(self) -> None:
        """Notes a key press, a click or a paste (the app calls it for every input event)."""
        self._last_activity = self._clock()
        self._pending = True

    def tick(self) -> bool:
        """Walks everything at a pause after activity; while the adviser works, freezes
        what was made since the last tick (unless the frozen objects grew too much).
        Returns whether it walked."""
        if self._alive is None:
            self._alive = gc.get_freeze_count()
        if not self._pending:
            return False
        if self._clock() - self._last_activity < IDLE_SECONDS:
            if gc.get_freeze_count() <= self._alive * (1 + MOST_GROWTH):
                gc.freeze()
            return False
        self._pending = False
        gc.unfreeze()
        gc.collect()
        gc.freeze()
        self._alive = gc.get_freeze_count()
        return True
