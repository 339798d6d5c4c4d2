"""Minimal reproductions of the fixed costs Textual itself puts on a screen change (issue 19).

Usage: python benchmarks/textual_limits.py [--runs 7]

Each line is a tiny Textual app (no Confidant code but `KeyFooter`, measured beside
Textual's own `Footer`), run headless, median of the runs, in this one process:

1. **Footer rebuilt on every binding refresh.** Textual's `Footer` removes and mounts all its
   keys after each `refresh_bindings` (every focus change publishes one); its keys start
   compact and are then bound to the footer's `compact = False`, so each is styled three
   times. Measured: ten focus changes between two text fields, with Textual's `Footer` and
   with Confidant's `KeyFooter` (which rebuilds only when the shown keys change).
2. **A new screen class reparses every stylesheet.** The first push of a screen with its own
   `CSS_PATH` reads it, then reparses every source (each widget's default CSS too: the parse
   cache goes with the old stylesheet) and restyles every widget of the app. Measured: the
   first push of such a screen against the second push of the same class.
3. **A mode switch to a new screen reparses twice.** `switch_mode` to a mode whose base
   screen is new calls `refresh_css` in `_init_mode` and again in `switch_mode` (the new
   screen's `_css_update_count` is -1), although the new screen is styled when it mounts.
   Measured: a switch to a new mode's screen, as Textual does it and with the screen marked
   as styled first (`ui.textual_private.styled_as_current`).

4. **An option list measures every option when options are added.** `OptionList.add_options`
   renders each option at the list's width to know its height (`_update_lines`), visible or
   not; the today view at 10,000 cases has about 330 rows, each a Rich grid (the case code
   in a column, the text wrapped under its own start). Measured: adding 330 such rows, and
   330 plain `Text` rows, to a mounted list, until the frame after it.

Confidant avoids 1 with `KeyFooter`, 2 by reading all its stylesheets while the passphrase
is typed (`ui/warm_up.py`), 3 with `styled_as_current`, and 4 by giving the today view plain
`Text` rows that it wraps itself under the text's start (filled again when the width changes);
what is left of each is Textual's. `bench_floors.py` measures whole screens the same way.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, ClassVar

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rich.table import Table
from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Input, OptionList, Static
from textual.widgets.option_list import Option

from confidant_tui.ui.textual_private import styled_as_current
from confidant_tui.ui.widgets.key_footer import KeyFooter

SIZE = (120, 36)
REPARSES = [0]
"""Full stylesheet parses so far (`Stylesheet.reparse`, counted below)."""
MEASURED = [0]
"""Full stylesheet parses inside the measured actions since the last `take_parses()`."""


FIRST_PUSH = [0]
SECOND_PUSH = [0]


def take_parses() -> int:
    counted, MEASURED[0] = MEASURED[0], 0
    return counted


CSS = "Styled { #a { height: 3; background: $panel; } #b { color: $accent; } }\n"


class Fields(App[None]):
    """Two text fields, a table and a footer showing ten keys."""

    BINDINGS: ClassVar = [Binding(f"f{n}", f"noop({n})", f"Key {n}") for n in range(2, 12)]

    def __init__(self, footer: type[Footer]) -> None:
        super().__init__()
        self.footer = footer

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(id="one")
        yield Input(id="two")
        yield DataTable()
        yield self.footer()

    def action_noop(self, number: int) -> None:
        pass


class Styled(Screen[None]):
    """A screen with a stylesheet of its own (CSS_PATH set per run in a temp folder)."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("a", id="a")
        yield Static("b", id="b")
        yield Footer()


def _count_reparses() -> None:
    from textual.css.stylesheet import Stylesheet

    original = Stylesheet.reparse

    def counted(self: Stylesheet) -> None:
        REPARSES[0] += 1
        original(self)

    Stylesheet.reparse = counted  # type: ignore[method-assign]


async def timed(action: Callable[[], Awaitable[object]], pilot: Any) -> float:
    """Milliseconds of `action` and the frames after it; adds its full parses to MEASURED."""
    parses = REPARSES[0]
    started = time.perf_counter()
    await action()
    await pilot.pause()
    await pilot.pause()
    elapsed = (time.perf_counter() - started) * 1000
    MEASURED[0] += REPARSES[0] - parses
    return elapsed


async def focus_changes(footer: type[Footer]) -> float:
    app = Fields(footer)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()

        async def ten() -> None:
            for _ in range(10):
                await pilot.press("tab")

        return await timed(ten, pilot)


async def first_and_second_push(css_file: Path) -> tuple[float, float]:
    class Own(Styled):
        CSS_PATH = str(css_file)

    app: App[None] = App()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        first = await timed(lambda: app.push_screen(Own()), pilot)
        FIRST_PUSH[0] += take_parses()
        await app.pop_screen()
        await pilot.pause()
        second = await timed(lambda: app.push_screen(Own()), pilot)
        SECOND_PUSH[0] += take_parses()
        return first, second


async def mode_switch(mark: bool) -> float:
    app: App[None] = App()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.add_mode("other", lambda: styled_as_current(app, Styled()) if mark else Styled())
        return await timed(lambda: app.switch_mode("other"), pilot)


ROWS = 330


def due_rows(grid: bool) -> list[Option]:
    """Rows like the today view's: a case code column, then when and what."""
    options = []
    for number in range(ROWS):
        code = Text(f"2025-{number:03d}", style="bold")
        body = Text.assemble(
            Text("3 weken te laat", style="bold"),
            " · ",
            Text("Terugkoppeling van de melding aan de melder (uiterlijk 3 maanden)"),
        )
        if grid:
            table = Table.grid(padding=(0, 1), expand=True)
            table.add_column(width=9, no_wrap=True)
            table.add_column(ratio=1)
            table.add_row(code, body)
            options.append(Option(table))
        else:
            options.append(Option(Text.assemble(code, " ", body)))
    return options


async def add_rows(grid: bool) -> float:
    class Listing(App[None]):
        def compose(self) -> ComposeResult:
            yield OptionList()

    app = Listing()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        listing = app.query_one(OptionList)
        options = due_rows(grid)

        async def add() -> None:
            listing.add_options(options)

        return await timed(add, pilot)


def median(values: list[float], reparses: int | None = None) -> str:
    """The median, and the full stylesheet parses per run when counted."""
    text = f"{statistics.median(values):7.1f} ms"
    if reparses is not None:
        text += f"   {reparses / len(values):.0f} full stylesheet parse(s) each"
    return text


async def main(runs: int) -> None:
    _count_reparses()
    rows: list[tuple[str, str]] = []
    for name, footer in (("Textual's Footer", Footer), ("KeyFooter", KeyFooter)):
        take_parses()
        times = [await focus_changes(footer) for _ in range(runs)]
        rows.append((f"10 focus changes, {name}", median(times)))
    firsts, seconds = [], []
    with tempfile.TemporaryDirectory() as folder:
        for run in range(runs):
            css_file = Path(folder) / f"own{run}.tcss"  # a new file: a new stylesheet source
            css_file.write_text(CSS, encoding="utf-8")
            take_parses()
            first, second = await first_and_second_push(css_file)
            firsts.append(first)
            seconds.append(second)
    rows.append(("push a screen, its CSS_PATH new", median(firsts, FIRST_PUSH[0])))
    rows.append(("push the same screen class again", median(seconds, SECOND_PUSH[0])))
    for name, mark in (
        ("switch to a new mode (Textual)", False),
        ("switch, marked as styled", True),
    ):
        take_parses()
        times = [await mode_switch(mark) for _ in range(runs)]
        rows.append((name, median(times, take_parses())))
    rows.append(
        (
            f"add {ROWS} grid rows to an OptionList",
            median([await add_rows(True) for _ in range(runs)]),
        )
    )
    rows.append(
        (
            f"add {ROWS} Text rows to an OptionList",
            median([await add_rows(False) for _ in range(runs)]),
        )
    )
    for name, value in rows:
        print(f"{name:40s} {value}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    asyncio.run(main(parser.parse_args().runs))
