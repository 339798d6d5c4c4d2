"""Provides `warm_up`: what the app prepares while the adviser types the passphrase.

Two costs of a screen's first appearance do not depend on the vault:

- **Its stylesheet.** Textual reads a screen's `CSS_PATH` the first time the screen is
  shown, and then parses *every* stylesheet of the app again (each widget's default CSS
  included: its parse cache goes with the old stylesheet) and restyles every widget of
  every screen: 150-250 ms on this machine for each screen class, paid again by the list,
  the today view and the case file on their first appearance.
  `benchmarks/textual_limits.py` measures it.
- **Its module.** Screens are imported when first opened (`ui/commands.py`), so the
  import of the case file and what it needs came with the first case opened. The vault's
  own code (SQLCipher, Argon2, the header's cryptography, the organisations and drafts)
  is not imported before the first frame either (the unlock screen needs none of it), nor
  is the shipped taxonomy read: both come here, before the adviser presses Enter.
- **Python's full garbage collection.** Now and then Python's collector walks every object
  that can hold others (the `gc` module's oldest generation): every module, class, function
  and parsed style rule the app has loaded, 100,000 and more. Each such walk took 160-180
  ms, and one fell into unlocking, opening a case, or the report, whichever allocated
  enough first.

`warm_up` reads all of Confidant's stylesheets into the app's stylesheet at once (one
parse instead of one per screen class, and a screen's own stylesheet is then found
already read), imports the vault's code and the screens that follow the unlock, reads the
taxonomy, and then collects the garbage once and moves every object alive at that point
(what start-up loaded, which lives as long as the process) out of the collector's sight
with `gc.freeze()`, so later full collections walk only what was made after it.
(`confidant open` already froze what it had imported before the first frame, sparing that
frame the full collections; the first step after it undoes that, so the collection here
sees everything.) One step per turn of the event loop, after the unlock
screen's first frame, so keys typed meanwhile wait at most one step. The stylesheets are
the same files Textual would read; what they style does not change, only when they are
parsed. The collection before the freeze frees what start-up left behind, so nothing is
kept that would otherwise have been freed (no case text exists yet: the vault is locked);
`thaw` gives the frozen objects back to the collector when the app ends (tests run many
apps in one process).
"""

from __future__ import annotations

import gc
import importlib
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import Any

from textual.app import App

from confidant_tui.services.shipped_taxonomy import load_taxonomy

UI_FOLDER = Path(__file__).resolve().parent

MODULES = (
    "confidant_tui.services.vaults",
    "confidant_tui.services.audit_acts",
    "confidant_tui.services.organisations",
    "confidant_tui.services.backups",
    "confidant_tui.ui.drafts",
    "confidant_tui.ui.screens.case_list",
    "confidant_tui.ui.screens.today",
    "confidant_tui.ui.screens.case_file",
)
"""What unlocking needs (the vault's code, which the first frame goes without), the screens
shown right after it and the one opened most, imported in advance."""


def stylesheets() -> list[Path]:
    """Every stylesheet of Confidant's screens, dialogs and widgets (not the app's own)."""
    return sorted(path for path in UI_FOLDER.rglob("*.tcss") if path.name != "app.tcss")


def read_stylesheets(app: App[Any]) -> bool:
    """Reads the stylesheets the app has not read yet and parses them all once; returns
    whether there were any."""
    stylesheet = app.stylesheet
    new = [path for path in stylesheets() if not stylesheet.has_source(str(path), "")]
    if not new:
        return False
    for path in new:
        stylesheet.read(path)
    # `parse`, not `reparse`: the variables are unchanged, and `parse` keeps each source's
    # rules in this stylesheet's cache, so the parse Textual does when a screen mounts a
    # widget class not seen before parses only that class's default CSS.
    stylesheet.parse()
    stylesheet.update(app)
    return True


def steps(app: App[Any]) -> Iterator[Callable[[], object]]:
    """The warm-up, one short step at a time."""
    yield partial(read_stylesheets, app)
    for module in MODULES:
        yield partial(importlib.import_module, module)
    yield load_taxonomy
    yield gc.unfreeze  # `confidant open` froze what it imported before the first frame
    yield gc.collect
    yield gc.freeze


def thaw() -> None:
    """Gives what `warm_up` froze back to the garbage collector (the app has ended)."""
    gc.unfreeze()


def warm_up(app: App[Any]) -> None:
    """Runs the steps of `steps` one per turn of the event loop (call it once the first
    frame is drawn); stops quietly when the app ends meanwhile."""
    pending = steps(app)

    def next_step() -> None:
        if not app.is_running:
            return
        step = next(pending, None)
        if step is not None:
            step()
            app.call_later(next_step)

    app.call_later(next_step)
