"""The measured actions of `benchmarks/run.py`, run in a child process per vault size.

Usage (run.py calls it; by hand only to debug one action):
    CONFIDANT_TEST_KDF=floor CONFIDANT_STATE_DIR=... CONFIDANT_CONFIG_DIR=... \\
    python benchmarks/bench_actions.py screens|ratio|rss VAULT PLAIN --runs 7 [--only a,b]

Each result is one line `RESULT {json}` on stdout: `{"action": key, "ms": [...]}` or
`{"action": key, "error": "..."}` (plus details for "ratio" and "rss").

How a screen action is timed: the app runs headless (`App.run_test`, 120x36). The key is
posted straight to the app as the event Textual's pilot would send, and the clock starts
just before; Textual's pilot helpers are not used for timed keys, because they sleep until
the process looks idle (20 ms steps) and that sleep is the harness's, not the app's. The
clock stops at the first check (every millisecond) at which the screen is *settled*:

- the action's own sign that it is done holds (the case file has its case, the next page's
  rows are in the table, the report has its figures, ...);
- no worker of the app is still running (every `@work` thread has finished);
- no message is waiting in the queue of the app, the screen, a screen beneath it (the case
  list beneath the today view after unlocking), or any of their widgets;
- the screen has nothing left to lay out or paint (no dirty widgets, no pending layout,
  repaint or recompose; its compositor has sent the frame);
- no callback waits for the screen's next refresh (`call_after_refresh`), except for the
  two search actions: their results count as shown once the first batch is painted (the
  search screen lists a long result list a batch per refresh, so that typing goes on).

Between runs, the screen is brought back with ordinary pilot keys (not timed).
`BENCH_TRACE=1` prints, for every wait, when the action's sign first held and when the
screen settled.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import time
import traceback
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import bench_floors
from bench_vaults import BIG_CASE_CODE, PASSPHRASE
from textual import events
from textual.app import App

SIZE = (120, 36)
SEARCH_WORD = "melder"
"""Six letters, in several of the generated sentences: a common word."""
KEYS_PER_SECOND = 8
REPORT_YEAR_STEP = "left_square_bracket"
TIMEOUT = 30.0
TRACE = bool(os.environ.get("BENCH_TRACE"))


def emit(action: str, **fields: Any) -> None:
    sys.stdout.write("RESULT " + json.dumps({"action": action, **fields}) + "\n")
    sys.stdout.flush()


# -- the harness ---------------------------------------------------------------------------


def key_event(key: str) -> events.Key:
    """The event `pilot.press(key)` posts, for the keys used here."""
    characters = {"enter": "\r", "slash": "/", "escape": "\x1b", "left_square_bracket": "["}
    character = characters.get(key, key if len(key) == 1 else None)
    event = events.Key(key, character)
    return event


def post_key(app: App[Any], key: str) -> None:
    event = key_event(key)
    event.set_sender(app)
    app.post_message(event)


def settled(app: App[Any], *, callbacks: bool = True) -> bool:
    """No worker running, no message waiting, nothing left to lay out or paint, and (with
    `callbacks`) no callback waiting for the next refresh."""
    if any(not worker.is_finished for worker in app.workers):
        return False
    screen = app.screen
    if app.message_queue_size:
        return False
    for below in app.screen_stack:  # a screen beneath may still be filling (unlocking)
        if below.message_queue_size:
            return False
        if any(node.message_queue_size for node in below.walk_children()):
            return False
    if callbacks and screen._callbacks:
        return False
    return not (
        screen._layout_required
        or screen._scroll_required
        or screen._repaint_required
        or screen._recompose_required
        or screen._dirty_widgets
    )


async def until(
    app: App[Any], done: Callable[[], bool], start: float, *, callbacks: bool = True
) -> float:
    """Waits until `done()` and the screen is settled; returns ms since `start`.

    With `BENCH_TRACE=1` it also says on stderr when `done()` first held, so the time spent
    after the data arrived (layout, paint, other workers) can be told apart.
    """
    await asyncio.sleep(0)
    first_done: float | None = None
    while True:
        try:
            ready = done()
        except Exception:
            ready = False
        elapsed = (time.perf_counter() - start) * 1000
        if ready and first_done is None:
            first_done = elapsed
        if ready and settled(app, callbacks=callbacks):
            if TRACE:
                sys.stderr.write(f"done after {first_done:.0f} ms, settled {elapsed:.0f} ms\n")
            return elapsed
        if elapsed > TIMEOUT * 1000:
            raise TimeoutError(f"not settled after {TIMEOUT:.0f} s")
        await asyncio.sleep(0.001)


async def calm(app: App[Any], done: Callable[[], bool] = lambda: True) -> None:
    """Waits (untimed) until `done()` and settled, then a little longer for stragglers."""
    await until(app, done, time.perf_counter())
    await asyncio.sleep(0.05)
    await until(app, done, time.perf_counter())


async def timed_key(
    app: App[Any], key: str, done: Callable[[], bool], *, callbacks: bool = True
) -> float:
    start = time.perf_counter()
    post_key(app, key)
    return await until(app, done, start, callbacks=callbacks)


def screen_named(app: App[Any], name: str) -> bool:
    return type(app.screen).__name__ == name


def make(today_on_unlock: bool = False) -> App[Any]:
    from confidant_tui.settings import Settings
    from confidant_tui.ui.app import make_app

    return make_app(Settings(today_on_unlock=today_on_unlock), VAULT)


async def unlocked(app: App[Any], pilot: Any) -> None:
    """Unlocks (untimed) and waits for the home screen to settle."""
    field = app.screen.query_one("#passphrase")
    field.value = PASSPHRASE  # type: ignore[attr-defined]
    field.focus()
    await pilot.press("enter")
    await calm(app, lambda: screen_named(app, "CaseListScreen") and table(app).row_count > 0)


async def leave(app: App[Any]) -> None:
    """Locks before the app ends, so what the services keep in memory is forgotten."""
    await app.lock("")  # type: ignore[attr-defined]


def table(app: App[Any]) -> Any:
    return app.screen.query_one("#cases")


def list_status(app: App[Any]) -> str:
    return str(app.screen.query_one("#list-status").render())


async def back_to_list(app: App[Any], pilot: Any) -> None:
    await pilot.press("escape")
    await calm(app, lambda: screen_named(app, "CaseListScreen"))
    table(app).focus()
    await calm(app)


Session = Callable[[App[Any], Any, int], Awaitable[list[float]]]


async def in_app(body: Session, runs: int, today_on_unlock: bool = False) -> list[float]:
    app = make(today_on_unlock)
    async with app.run_test(size=SIZE) as pilot:
        await calm(app)
        await unlocked(app, pilot)
        try:
            return await body(app, pilot, runs)
        finally:
            await leave(app)


# -- the screen actions --------------------------------------------------------------------


async def passphrase_typed(app: App[Any]) -> None:
    """The passphrase in the unlock screen's field, which has the focus, settled."""
    await calm(app)
    field = app.screen.query_one("#passphrase")
    field.value = PASSPHRASE  # type: ignore[attr-defined]
    field.focus()
    await calm(app)


def today_shown(app: App[Any]) -> bool:
    """The today view is on top with what is due."""
    return screen_named(app, "TodayScreen") and getattr(app.screen, "due", None) is not None


async def action_unlock(runs: int) -> list[float]:
    """Enter on the unlock screen -> the today view settled (a fresh app per run), minus
    the time spent in Argon2id (floor parameters)."""
    from confidant_tui.vault import kdf

    spent = [0.0]
    original = kdf.hash_secret_raw

    def counted(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            spent[0] += (time.perf_counter() - started) * 1000

    kdf.hash_secret_raw = counted  # type: ignore[assignment]
    times = []
    try:
        for _ in range(runs):
            app = make(today_on_unlock=True)
            async with app.run_test(size=SIZE) as _pilot:
                await passphrase_typed(app)
                spent[0] = 0.0
                elapsed = await timed_key(app, "enter", lambda app=app: today_shown(app))
                times.append(elapsed - spent[0])
                listing = app.screen.query_one("#items")
                bench_floors.SHAPES["today"] = {
                    "rows": [str(o.prompt) for o in listing.options],
                    "keys": footer_keys(app.screen),
                }
                bench_floors.SHAPES["list"] = list_shape(app.screen_stack[-2])
                await leave(app)
    finally:
        kdf.hash_secret_raw = original  # type: ignore[assignment]
    return times


async def action_today_back(runs: int) -> list[float]:
    """Escape on the today view just after unlocking -> the case list with its first page,
    settled (a fresh app per run)."""
    times = []
    for _ in range(runs):
        app = make(today_on_unlock=True)
        async with app.run_test(size=SIZE) as pilot:
            await passphrase_typed(app)
            await pilot.press("enter")
            await calm(app, lambda app=app: today_shown(app))
            times.append(
                await timed_key(
                    app,
                    "escape",
                    lambda app=app: (
                        screen_named(app, "CaseListScreen") and table(app).row_count > 0
                    ),
                )
            )
            await leave(app)
    return times


def case_loaded(app: App[Any]) -> bool:
    return screen_named(app, "CaseFileScreen") and getattr(app.screen, "case", None) is not None


def footer_keys(screen: Any) -> list[list[str]]:
    """The keys the screen's footer shows, as (key, description) pairs (not the palette's,
    which a floor's footer has of its own)."""
    footer = screen.query_one("KeyFooter")
    return [[key.display, key.description] for key in footer._keys or () if not key.palette]


def case_shape(app: App[Any]) -> dict[str, Any]:
    """The text the case file shows, for its Textual floor (`bench_floors`)."""
    screen = app.screen
    timeline = screen.query_one("#timeline")
    return {
        "keys": footer_keys(screen),
        "title": str(screen.query_one("#case-title").render()),
        "facts": str(screen.query_one("#facts").render()),
        "detail": str(screen.query_one("#detail").render()),
        "columns": [str(column.label) for column in timeline.columns.values()],
        "rows": [
            [str(cell) for cell in timeline.get_row_at(index)]
            for index in range(timeline.row_count)
        ],
    }


async def action_case_typical(runs: int) -> list[float]:
    """Enter on the newest case of the list -> its case file settled."""

    async def body(app: App[Any], pilot: Any, runs: int) -> list[float]:
        times = []
        for _ in range(runs):
            table(app).focus()
            table(app).move_cursor(row=0)
            await calm(app)
            times.append(await timed_key(app, "enter", lambda: case_loaded(app)))
            bench_floors.SHAPES["case_typical"] = case_shape(app)
            await back_to_list(app, pilot)
        return times

    return await in_app(body, runs)


async def action_case_big(runs: int) -> list[float]:
    """Enter on the case with 50 conversations (the list filtered to its year) -> settled."""

    async def body(app: App[Any], pilot: Any, runs: int) -> list[float]:
        year = app.screen.query_one("#filter-year")
        year.value = BIG_CASE_CODE[:4]  # type: ignore[attr-defined]
        await calm(app, lambda: table(app).row_count == 1)
        times = []
        for _ in range(runs):
            table(app).focus()
            table(app).move_cursor(row=0)
            await calm(app)
            times.append(await timed_key(app, "enter", lambda: case_loaded(app)))
            code = str(app.screen.query_one("#case-title").render())
            if BIG_CASE_CODE not in code:
                raise RuntimeError(f"opened {code!r}, not {BIG_CASE_CODE}")
            bench_floors.SHAPES["case_big"] = case_shape(app)
            await back_to_list(app, pilot)
        return times

    return await in_app(body, runs)


def list_shape(screen: Any) -> dict[str, Any]:
    """The list's columns, its first page of rows as text and its footer's keys, for its
    Textual floor."""
    from confidant_tui.ui.screens.case_list import PAGE_SIZE

    grid = screen.query_one("#cases")
    return {
        "columns": [str(column.label) for column in grid.columns.values()],
        "rows": [
            [str(cell) for cell in grid.get_row_at(index)]
            for index in range(min(PAGE_SIZE, grid.row_count))
        ],
        "keys": footer_keys(screen),
    }


async def action_list_end(runs: int) -> list[float]:
    """End on the case list -> the next page appended and settled."""

    async def body(app: App[Any], pilot: Any, runs: int) -> list[float]:
        times = []
        for _ in range(runs):
            grid = table(app)
            total = getattr(app.screen, "total", None)
            if total is not None and grid.row_count >= total:
                await pilot.press("x")
                await calm(app)
                grid.move_cursor(row=0)
                await calm(app)
            before = grid.row_count
            grid.focus()
            times.append(await timed_key(app, "end", lambda g=grid, b=before: g.row_count > b))
        bench_floors.SHAPES["list"] = list_shape(app.screen)
        return times

    return await in_app(body, runs)


async def action_list_sort(runs: int) -> list[float]:
    """s (next sort) on the case list -> the first page in the new order, settled."""

    async def body(app: App[Any], pilot: Any, runs: int) -> list[float]:
        times = []
        for _ in range(runs):
            table(app).focus()
            before = list_status(app)
            times.append(
                await timed_key(
                    app, "s", lambda b=before: list_status(app) != b and table(app).row_count > 0
                )
            )
        bench_floors.SHAPES.setdefault("list", list_shape(app.screen))
        return times

    return await in_app(body, runs)


async def action_list_filter(runs: int) -> list[float]:
    """The last digit of a year typed in the year filter -> the filtered list, settled."""

    async def body(app: App[Any], pilot: Any, runs: int) -> list[float]:
        times = []
        field = app.screen.query_one("#filter-year")
        for _ in range(runs):
            field.value = ""  # type: ignore[attr-defined]
            await calm(app)
            field.focus()
            await pilot.press("2", "0", "2")
            await calm(app)
            before = list_status(app)
            times.append(await timed_key(app, "3", lambda b=before: list_status(app) != b))
        return times

    return await in_app(body, runs)


def search_screen(app: App[Any]) -> bool:
    return screen_named(app, "SearchScreen") and app.focused is app.screen.query_one("#query")


async def action_search_open(runs: int) -> list[float]:
    """/ on the case list -> the search screen settled, its field focused."""

    async def body(app: App[Any], pilot: Any, runs: int) -> list[float]:
        times = []
        for _ in range(runs):
            table(app).focus()
            await calm(app)
            times.append(await timed_key(app, "slash", lambda: search_screen(app)))
            await back_to_list(app, pilot)
        return times

    return await in_app(body, runs)


def hits_for(app: App[Any], query: str, before: object) -> bool:
    screen = app.screen
    return (
        screen.query_one("#query").value == query  # type: ignore[attr-defined]
        and getattr(screen, "hits", None) is not before
    )


async def open_search(app: App[Any]) -> None:
    table(app).focus()
    await calm(app)
    post_key(app, "slash")
    await calm(app, lambda: search_screen(app))


async def action_search_word(runs: int) -> list[float]:
    """The last letter of a common word typed in the search field -> its results, settled
    (the field held the first five letters, their search done)."""

    async def body(app: App[Any], pilot: Any, runs: int) -> list[float]:
        await open_search(app)
        field = app.screen.query_one("#query")
        times = []
        for _ in range(runs):
            field.value = ""  # type: ignore[attr-defined]
            await calm(app)
            field.value = SEARCH_WORD[:-1]  # type: ignore[attr-defined]
            field.cursor_position = len(SEARCH_WORD) - 1  # type: ignore[attr-defined]
            await calm(app)
            before = getattr(app.screen, "hits", None)
            times.append(
                await timed_key(
                    app,
                    SEARCH_WORD[-1],
                    lambda b=before: hits_for(app, SEARCH_WORD, b),
                    callbacks=False,
                )
            )
            if not getattr(app.screen, "hits", None):
                raise RuntimeError(f"no results for {SEARCH_WORD!r}")
        return times

    return await in_app(body, runs)


async def action_search_typed(runs: int) -> list[float]:
    """A six-letter word typed at 8 keys per second into the empty search field -> from
    the last key to its results, settled. The results must be new after the last key (the
    screen shows only the newest change's results, so an earlier prefix's cannot count)."""

    async def body(app: App[Any], pilot: Any, runs: int) -> list[float]:
        await open_search(app)
        field = app.screen.query_one("#query")
        times = []
        for _ in range(runs):
            field.value = ""  # type: ignore[attr-defined]
            await calm(app)
            begin = time.perf_counter()
            for index, letter in enumerate(SEARCH_WORD[:-1]):
                post_key(app, letter)
                await asyncio.sleep(
                    max(0.0, begin + (index + 1) / KEYS_PER_SECOND - time.perf_counter())
                )
            before = getattr(app.screen, "hits", None)  # an earlier prefix's, or none yet
            times.append(
                await timed_key(
                    app,
                    SEARCH_WORD[-1],
                    lambda b=before: hits_for(app, SEARCH_WORD, b),
                    callbacks=False,
                )
            )
        return times

    return await in_app(body, runs)


def report_built(app: App[Any], year: int | None = None) -> bool:
    screen = app.screen
    return (
        screen_named(app, "ReportScreen")
        and getattr(screen, "built", None) is not None
        and (year is None or getattr(screen, "year", None) == year)
    )


def forget_reports() -> None:
    from confidant_tui.services import report

    forget = getattr(report, "forget_cached", None)
    if forget is not None:
        forget()


async def action_report(runs: int) -> list[float]:
    """The report command (as chosen in the palette) -> the report's figures, settled;
    the built reports are forgotten before each run (the first report after unlocking)."""

    async def body(app: App[Any], pilot: Any, runs: int) -> list[float]:
        times = []
        for _ in range(runs):
            forget_reports()
            table(app).focus()
            await calm(app)
            start = time.perf_counter()
            await app.run_action("open_screen('report')")
            times.append(await until(app, lambda: report_built(app), start))
            await back_to_list(app, pilot)
        return times

    return await in_app(body, runs)


async def action_report_previous(runs: int) -> list[float]:
    """[ on the report screen -> the year before, its figures settled (not cached)."""

    async def body(app: App[Any], pilot: Any, runs: int) -> list[float]:
        times = []
        for _ in range(runs):
            forget_reports()
            await app.run_action("open_screen('report')")
            await calm(app, lambda: report_built(app))
            forget_reports()
            year = app.screen.year - 1  # type: ignore[attr-defined]
            times.append(
                await timed_key(app, REPORT_YEAR_STEP, lambda y=year: report_built(app, y))
            )
            await back_to_list(app, pilot)
        return times

    return await in_app(body, runs)


async def floor_unlock(runs: int) -> list[float]:
    """The Textual floor of `unlock` (after it: the same today rows)."""
    return await bench_floors.floor_unlock(runs, until, post_key, SIZE)


async def floor_today_back(runs: int) -> list[float]:
    """The Textual floor of `today_back` (after it: the same list rows)."""
    return await bench_floors.floor_today_back(runs, until, post_key, SIZE)


async def floor_case_typical(runs: int) -> list[float]:
    """The Textual floor of `case_typical` (after it: the same facts and timeline)."""
    return await bench_floors.floor_case(runs, "case_typical", until, post_key, SIZE)


async def floor_case_big(runs: int) -> list[float]:
    """The Textual floor of `case_big`."""
    return await bench_floors.floor_case(runs, "case_big", until, post_key, SIZE)


async def floor_list_end(runs: int) -> list[float]:
    """The Textual floor of `list_end` (after it: the same rows)."""
    return await bench_floors.floor_list(runs, "end", until, post_key, SIZE)


async def floor_list_replace(runs: int) -> list[float]:
    """The Textual floor of a sort or a filter: a page of rows in the list's place."""
    return await bench_floors.floor_list(runs, "s", until, post_key, SIZE)


SCREEN_ACTIONS: dict[str, Callable[[int], Awaitable[list[float]]]] = {
    "unlock": action_unlock,
    "floor_unlock": floor_unlock,
    "today_back": action_today_back,
    "floor_today_back": floor_today_back,
    "case_typical": action_case_typical,
    "floor_case_typical": floor_case_typical,
    "case_big": action_case_big,
    "floor_case_big": floor_case_big,
    "list_end": action_list_end,
    "floor_list_end": floor_list_end,
    "list_sort": action_list_sort,
    "list_filter": action_list_filter,
    "floor_list_replace": floor_list_replace,
    "search_open": action_search_open,
    "search_word": action_search_word,
    "search_typed": action_search_typed,
    "report": action_report,
    "report_previous": action_report_previous,
}


def run_screens(runs: int, only: set[str] | None) -> None:
    for name, action in SCREEN_ACTIONS.items():
        if only and name not in only:
            continue
        try:
            times = asyncio.run(action(runs))
            emit(name, ms=times)
        except Exception as error:
            traceback.print_exc(file=sys.stderr)
            emit(name, error=f"{type(error).__name__}: {error}"[:200])


# -- RSS after browsing --------------------------------------------------------------------


def rss_mib() -> tuple[float, float]:
    """VmRSS and VmHWM (peak) of this process in MiB."""
    found = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            found[name] = int(value.split()[0]) / 1024
    return found["VmRSS"], found["VmHWM"]


async def browse() -> tuple[float, float]:
    """Unlock (today view), the list and three more pages, a case, the big case, search,
    the report and the year before; then the memory."""
    app = make(today_on_unlock=True)
    async with app.run_test(size=SIZE) as pilot:
        await calm(app)
        field = app.screen.query_one("#passphrase")
        field.value = PASSPHRASE  # type: ignore[attr-defined]
        field.focus()
        await pilot.press("enter")
        await calm(app, lambda: screen_named(app, "TodayScreen"))
        await back_to_list(app, pilot)
        for _ in range(3):
            post_key(app, "end")
            await calm(app)
        table(app).move_cursor(row=0)
        await pilot.press("enter")
        await calm(app, lambda: case_loaded(app))
        await back_to_list(app, pilot)
        year = app.screen.query_one("#filter-year")
        year.value = BIG_CASE_CODE[:4]  # type: ignore[attr-defined]
        await calm(app, lambda: table(app).row_count == 1)
        table(app).focus()
        await pilot.press("enter")
        await calm(app, lambda: case_loaded(app))
        await back_to_list(app, pilot)
        await open_search(app)
        for letter in SEARCH_WORD:
            post_key(app, letter)
            await asyncio.sleep(1 / KEYS_PER_SECOND)
        await calm(app)
        await back_to_list(app, pilot)
        await app.run_action("open_screen('report')")
        await calm(app, lambda: report_built(app))
        await pilot.press(REPORT_YEAR_STEP)
        await calm(app, lambda: report_built(app))
        await back_to_list(app, pilot)
        measured = rss_mib()
        await leave(app)
    return measured


def run_rss() -> None:
    try:
        rss, peak = asyncio.run(browse())
        emit("rss", mib=rss, peak=peak)
    except Exception as error:
        traceback.print_exc(file=sys.stderr)
        emit("rss", error=f"{type(error).__name__}: {error}"[:200])


# -- encrypted / plain -----------------------------------------------------------------------

PAGE = 100
PLAIN_FLOOR_MS = 5.0
"""Queries faster than this on the plain copy are reported but exempt from the target."""


def queries(total: int, year: int) -> dict[str, Callable[[Any], object]]:
    """The list, count, search and report reads the screens make, as functions of a
    connection (the same vault functions on both)."""
    from confidant_tui.domain.cases import CaseFilter
    from confidant_tui.services.search import build_query
    from confidant_tui.vault import cases_query, search_repo, stats_counts, stats_repo

    found: dict[str, Callable[[Any], object]] = {}
    for sort in ("code", "opened", "status", "follow_up"):
        for descending in (False, True):
            selection = CaseFilter(sort=sort, descending=descending, limit=PAGE)
            found[f"page 1 by {sort}{' desc' if descending else ''}"] = lambda c, s=selection: (
                cases_query.summaries(c, s)
            )
    found["page at the end (OFFSET)"] = lambda c: cases_query.summaries(
        c, CaseFilter(offset=max(0, total - PAGE), limit=PAGE)
    )
    after = getattr(cases_query, "summaries_after", None)
    if after is not None:
        keys: dict[int, int] = {}

        def last_page(c: Any) -> object:
            if id(c) not in keys:
                rows = cases_query.summaries(
                    c, CaseFilter(offset=max(0, total - PAGE - 1), limit=1)
                )
                keys[id(c)] = rows[0].id
            return after(c, CaseFilter(limit=PAGE), keys[id(c)])

        found["page at the end (keyset)"] = last_page
    for label, selection in (
        ("status open", CaseFilter(status="open", limit=PAGE)),
        (f"year {year - 3}", CaseFilter(year=year - 3, limit=PAGE)),
        ("category bullying", CaseFilter(category="bullying", limit=PAGE)),
    ):
        found[f"page 1, {label}"] = lambda c, s=selection: cases_query.summaries(c, s)
        found[f"count, {label}"] = lambda c, s=selection: cases_query.count(c, s)
    found["count all"] = lambda c: cases_query.count(c, CaseFilter())
    for word in (SEARCH_WORD, "bedrijfsarts", '"formele klacht"'):
        fts = build_query(word)
        found[f"search {word}"] = lambda c, q=fts: search_repo.search(c, q, 50)
    found[f"report counts {year} (live + kept)"] = lambda c: (
        stats_counts.live_figures(c, None, (year - 1, year)),
        stats_repo.kept_records(c, None),
    )
    return found


def run_ratio(plain_path: Path, runs: int) -> None:
    try:
        emit("ratio", **measure_ratio(plain_path, runs))
    except Exception as error:
        traceback.print_exc(file=sys.stderr)
        emit("ratio", error=f"{type(error).__name__}: {error}"[:200])


def measure_ratio(plain_path: Path, runs: int) -> dict[str, Any]:
    """Each query on the vault and on the plain copy, alternately, in this process."""
    import sqlcipher3

    from confidant_tui.domain.cases import CaseFilter
    from confidant_tui.vault import cases_query
    from confidant_tui.vault.store import Vault

    vault = Vault.open(VAULT, PASSPHRASE, read_only=True)
    plain = sqlcipher3.connect(
        f"{plain_path.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None
    )
    try:
        with vault.reading() as conn:
            total = cases_query.count(conn, CaseFilter())
            cache_size = conn.execute("PRAGMA cache_size").fetchone()[0]
            temp_store = conn.execute("PRAGMA temp_store").fetchone()[0]
        plain.execute(f"PRAGMA cache_size = {int(cache_size)}")
        plain.execute(f"PRAGMA temp_store = {int(temp_store)}")

        def on_vault(action: Callable[[Any], object]) -> float:
            with vault.reading() as conn:
                start = time.perf_counter()
                action(conn)
                return (time.perf_counter() - start) * 1000

        def on_plain(action: Callable[[Any], object]) -> float:
            plain.execute("BEGIN")
            try:
                start = time.perf_counter()
                action(plain)
                return (time.perf_counter() - start) * 1000
            finally:
                plain.execute("ROLLBACK")

        rows = []
        for name, action in queries(total, 2025).items():
            on_vault(action), on_plain(action)  # warm both caches once
            encrypted, clear = [], []
            for run in range(runs):
                if run % 2:
                    clear.append(on_plain(action))
                    encrypted.append(on_vault(action))
                else:
                    encrypted.append(on_vault(action))
                    clear.append(on_plain(action))
            enc, pla = statistics.median(encrypted), statistics.median(clear)
            rows.append({"query": name, "enc": enc, "plain": pla, "ratio": enc / pla if pla else 0})
        return {"rows": rows, "cache_size": cache_size, "floor_ms": PLAIN_FLOOR_MS}
    finally:
        plain.close()
        vault.close()


VAULT = Path()


def main() -> None:
    global VAULT
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("mode", choices=("screens", "ratio", "rss"))
    parser.add_argument("vault", type=Path)
    parser.add_argument("plain", type=Path)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--only", default="")
    args = parser.parse_args()
    VAULT = args.vault
    only = {name for name in args.only.split(",") if name} or None
    if args.mode == "screens":
        run_screens(args.runs, only)
    elif args.mode == "ratio":
        run_ratio(args.plain, args.runs)
    else:
        run_rss()


if __name__ == "__main__":
    main()
