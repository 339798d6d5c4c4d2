"""Textual floors for `bench_actions.py`: Confidant's screens rebuilt from Textual's own widgets
with the same text, and no Confidant code, timed the same way (issue 19).

A screen action's target (≤ 100 ms) may stay missed only where a minimal reproduction shows the
limit is in Textual. Each floor here takes the text Confidant's screen showed in the run just
before it (`SHAPES`, filled by `bench_actions`: the today view's rows, the case file's facts
and timeline) and times what Textual needs to show that much on a screen of the same widgets:

- **unlock**: Enter on a password field switches to a mode whose base screen is a list
  (Header, a filter row of three `Select`s, the last hidden as Confidant's organisation
  filter is with one organisation, and an `Input`, a `DataTable` with the page of rows
  Confidant's list showed, two `Static`s, `Footer`), and pushes the today view on it
  (Header, `Static`, an `OptionList` of the same rows as plain `Text`, two `Static`s,
  `Footer`);
- **list**: End on that list appends a page of the rows Confidant's list showed; s puts
  a page in the list's place (what a sort or a filter does);
- **today back**: Escape on that today view shows the list beneath it (Confidant's list
  reads nothing again when nothing changed meanwhile);
- **case**: Enter on that list pushes a case file (Header, four `Static`s, a scrolling facts
  pane, a `DataTable` with the same timeline rows, a scrolling detail pane, `Footer`).

Each footer shows the keys (key and description) Confidant's footer showed on that screen,
bound to nothing; the floor's own keys (End, s, Enter, Escape) are not shown.

The data is there at once (no vault, no worker, no message): what the floor costs is
layout, styling and painting, which no change in Confidant can take away. The one piece of
Confidant here are its two workarounds of Textual's own costs, so the floor does not count
what Confidant avoids: `styled_as_current` (a mode switch to a new screen would restyle it
twice, `textual_limits.py` 3) and `KeyFooter` for Textual's `Footer` (which rebuilds its keys
on every binding refresh, `textual_limits.py` 1).
"""

from __future__ import annotations

import time
from typing import Any, ClassVar

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Header, Input, OptionList, Select, Static

from confidant_tui.ui.textual_private import styled_as_current
from confidant_tui.ui.widgets.key_footer import KeyFooter as Footer

SHAPES: dict[str, Any] = {}
"""What Confidant's screens showed, by action: `today` (row texts), `list` (column labels
and a page of row cells), `case_typical` and `case_big` (facts text, timeline column labels
and row cells); each with `keys`, its footer's keys as (key, description) pairs."""

LIST_COLUMNS = ("Code", "Opened", "Status", "Category", "Follow-up", "!")
LIST_ROWS = 100
"""Rows per page when no list was measured (Confidant's page)."""


def with_keys(screen: type[Screen[None]], keys: list[list[str]]) -> type[Screen[None]]:
    """`screen` with a footer showing `keys` ((key, description) pairs, as Confidant's
    footer showed them), bound to keys that are never pressed."""
    bindings = [
        Binding(f"f{13 + number}", "noop", description, key_display=key)
        for number, (key, description) in enumerate(keys[:12])
    ]
    return type(screen.__name__, (screen,), {"BINDINGS": bindings})


class FloorList(Screen[None]):
    """The case list's widgets with the rows Confidant's list showed (or made-up ones);
    End appends a page of them, s puts a page in the list's place (a sort or a filter)."""

    BINDINGS: ClassVar = [
        Binding("end", "more", "More", priority=True, show=False),
        Binding("s", "replace", "Sort", priority=True, show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        shape = SHAPES.get("list", {})
        self.columns = shape.get("columns", LIST_COLUMNS)
        self.page = shape.get("rows") or [
            [f"2025-{n:03d}", "14-03-2025", "open", "bullying", "", ""] for n in range(LIST_ROWS)
        ]
        self.pages = 0

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="filters"):
            yield Select([("Open", 0), ("Closed", 1)], prompt="Status: all")
            yield Input(placeholder="Year")
            yield Select([("Bullying", 0)], prompt="Category: all")
            yield Select([], prompt="Organisation: all", id="organisation")
        table: DataTable[Text] = DataTable(id="cases", cursor_type="row")
        table.add_columns(*self.columns)
        yield table
        yield Static()
        yield Static(id="status")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#organisation").display = False
        self.action_more()
        self.query_one(DataTable).focus()

    def action_noop(self) -> None:
        """The footer's keys do nothing."""

    def action_more(self) -> None:
        table = self.query_one(DataTable)
        for cells in self.page:
            table.add_row(*(Text(cell) for cell in cells))
        self.pages += 1
        self.query_one("#status", Static).update(f"{table.row_count} of 10000 cases")

    def action_replace(self) -> None:
        self.query_one(DataTable).clear()
        self.action_more()

    def on_data_table_row_selected(self) -> None:
        shape = SHAPES.get(getattr(self.app, "case_shape", ""), {})
        self.app.push_screen(with_keys(FloorCase, shape.get("keys", []))(shape))


class FloorToday(Screen[None]):
    """The today view's widgets with its rows as plain text; Escape goes to the list."""

    BINDINGS: ClassVar = [Binding("escape", "app.pop_screen", "Back", show=False)]

    def __init__(self, rows: list[str]) -> None:
        super().__init__()
        self.rows = rows
        self.filled = False

    def action_noop(self) -> None:
        """The footer's keys do nothing."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Today · 2 December 2026 · 7 overdue")
        yield OptionList()
        yield Static()
        yield Static()
        yield Footer()

    def on_mount(self) -> None:
        listing = self.query_one(OptionList)
        listing.add_options([Text(row) for row in self.rows])
        listing.focus()
        self.filled = True


class FloorCase(Screen[None]):
    """The case file's widgets with the facts and the timeline Confidant showed."""

    BINDINGS: ClassVar = [Binding("escape", "app.pop_screen", "Back", show=False)]

    def __init__(self, shape: dict[str, Any]) -> None:
        super().__init__()
        self.shape = shape
        self.filled = False

    def action_noop(self) -> None:
        """The footer's keys do nothing."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(Text(self.shape.get("title", "2025-001"), style="bold"))
        yield Static()
        yield Static()
        with VerticalScroll():
            yield Static(Text(self.shape.get("facts", "")))
            yield Static()
        table: DataTable[Text] = DataTable(cursor_type="row")
        table.add_columns(*self.shape.get("columns", ("Date", "What")))
        for cells in self.shape.get("rows", ()):
            table.add_row(*(Text(cell) for cell in cells))
        yield table
        with VerticalScroll():
            yield Static(Text(self.shape.get("detail", "")))
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(DataTable).focus()
        self.filled = True


class FloorLock(Screen[None]):
    """The unlock screen's widgets: Header, a password field, Footer."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(password=True, placeholder="Passphrase", id="passphrase")
        yield Footer()

    async def on_input_submitted(self) -> None:
        await self.app.unlock()  # type: ignore[attr-defined]


class FloorApp(App[None]):
    """Starts on a password field; Enter "unlocks" to the list with the today view on it
    (modes as Confidant's: one for the locked screen, one for the vault's screens)."""

    MODES: ClassVar = {"locked": FloorLock}

    def __init__(self, unlock_to_today: bool) -> None:
        super().__init__()
        self.unlock_to_today = unlock_to_today
        self.case_shape = ""

    async def on_mount(self) -> None:
        await self.switch_mode("locked")

    async def unlock(self) -> None:
        listing = with_keys(FloorList, SHAPES.get("list", {}).get("keys", []))
        self.add_mode("vault", lambda: styled_as_current(self, listing()))
        mounted = self.switch_mode("vault")
        if self.unlock_to_today:
            today = SHAPES.get("today", {})
            await self.push_screen(
                with_keys(FloorToday, today.get("keys", []))(today.get("rows", []))
            )
        await mounted

    async def lock(self) -> None:
        """Back to the password field, the vault's screens gone (as Confidant's lock)."""
        await self.switch_mode("locked")
        await self.remove_mode("vault")

    def passphrase(self) -> Input:
        return self.screen.query_one("#passphrase", Input)


def today_filled(app: FloorApp) -> bool:
    """The today view is on top with its rows."""
    return isinstance(app.screen, FloorToday) and app.screen.filled


async def floor_unlocked(app: FloorApp, pilot: Any, until: Any) -> None:
    """Enter on the password field (untimed) -> the today view settled on the list."""
    await pilot.pause()
    app.passphrase().focus()
    await pilot.press("enter")
    await until(app, lambda: today_filled(app), time.perf_counter())


async def floor_unlock(runs: int, until: Any, post_key: Any, size: tuple[int, int]) -> list[float]:
    """Enter on the password field -> the list with the today view on it, settled.

    Each run unlocks and locks once untimed first: Textual parses the default CSS of a
    widget class the first time one is mounted, which Confidant does while the passphrase
    is typed (`ui/warm_up.py`); the floor must not count what Confidant already avoids.
    """
    times = []
    for _ in range(runs):
        app = FloorApp(unlock_to_today=True)
        async with app.run_test(size=size) as pilot:
            await floor_unlocked(app, pilot, until)
            await app.lock()
            app.passphrase().focus()
            await until(app, lambda: True, time.perf_counter())
            start = time.perf_counter()
            post_key(app, "enter")
            times.append(await until(app, lambda app=app: today_filled(app), start))
    return times


async def floor_today_back(
    runs: int, until: Any, post_key: Any, size: tuple[int, int]
) -> list[float]:
    """Escape on the today view just after unlocking -> the list beneath it, settled."""
    times = []
    for _ in range(runs):
        app = FloorApp(unlock_to_today=True)
        async with app.run_test(size=size) as pilot:
            await floor_unlocked(app, pilot, until)
            start = time.perf_counter()
            post_key(app, "escape")
            times.append(
                await until(
                    app,
                    lambda app=app: isinstance(app.screen, FloorList),
                    start,
                )
            )
    return times


async def floor_case(
    runs: int, shape: str, until: Any, post_key: Any, size: tuple[int, int]
) -> list[float]:
    """Enter on the list -> the case file with the same facts and timeline, settled."""
    times = []
    app = FloorApp(unlock_to_today=False)
    app.case_shape = shape
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        app.passphrase().focus()
        await pilot.press("enter")
        await until(app, lambda: isinstance(app.screen, FloorList), time.perf_counter())
        for _ in range(runs):
            app.screen.query_one(DataTable).focus()
            await until(app, lambda: True, time.perf_counter())
            start = time.perf_counter()
            post_key(app, "enter")
            times.append(
                await until(
                    app, lambda: isinstance(app.screen, FloorCase) and app.screen.filled, start
                )
            )
            await pilot.press("escape")
            await until(app, lambda: isinstance(app.screen, FloorList), time.perf_counter())
    return times


async def floor_list(
    runs: int, key: str, until: Any, post_key: Any, size: tuple[int, int]
) -> list[float]:
    """End (append a page) or s (a page in the list's place) -> the rows shown, settled."""
    times = []
    app = FloorApp(unlock_to_today=False)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        app.passphrase().focus()
        await pilot.press("enter")
        await until(app, lambda: isinstance(app.screen, FloorList), time.perf_counter())
        screen = app.screen
        assert isinstance(screen, FloorList)
        for _ in range(runs):
            if screen.pages > 20:
                screen.action_replace()
            await until(app, lambda: True, time.perf_counter())
            before = screen.pages
            start = time.perf_counter()
            post_key(app, key)
            times.append(await until(app, lambda b=before: screen.pages > b, start))
    return times
