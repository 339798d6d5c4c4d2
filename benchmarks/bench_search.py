"""Times the search screen's query, encrypted and on a plain copy, beside the old ranking.

Usage:
    CONFIDANT_TEST_KDF=floor CONFIDANT_STATE_DIR=... CONFIDANT_CONFIG_DIR=... \\
    python benchmarks/bench_search.py VAULT PASSPHRASE [--runs 7] [--plain PATH]
        [--words melder,klacht,gesprek,"melder klacht"] [--typed melder]

Opens VAULT read-only (so it must be at this build's schema: open it once for writing
first), makes a plain SQLite copy beside it with `sqlcipher_export` (or reuses `--plain`),
and for each word runs, interleaved on both connections in one process, the median of
`--runs` runs in ms of:

- `search`: `search_repo.search` as the screen runs it after the last key (the pause before
  searching, `ui.screens.search.PAUSE`, comes on top);
- `bm25 all`: the ranking before issue 19 (bm25 over every match, then the first 100);

plus the encrypted/plain ratio. With `--typed WORD` it instead opens the app headless
(`run_test()`, the vault opened for writing: give it a copy), types WORD into the search
screen at 8 keys per second the way a terminal delivers keys, and prints the time from the
last key to the first screenful of WORD's results in the list, and which prefixes' results
were listed in which order. Not a test: timings depend on the machine.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.bench_queries import in_snapshot, open_plain, plain_copy
from confidant_tui.services.search import build_query
from confidant_tui.vault import search_repo
from confidant_tui.vault.store import Vault

LIMIT = 100
OLD = """
    SELECT d.case_id, c.code, d.conversation_id, v.date, d.field,
           snippet(search_fts, 0, ?, ?, ?, ?)
    FROM search_fts
    JOIN search_docs AS d ON d.id = search_fts.rowid
    JOIN cases AS c ON c.id = d.case_id
    LEFT JOIN conversations AS v ON v.id = d.conversation_id
    WHERE search_fts MATCH ?
    ORDER BY rank, d.case_id, d.id
    LIMIT ?
"""


def actions(fts_query: str) -> dict[str, Callable[[Any], object]]:
    marks = (search_repo.START_MARK, search_repo.END_MARK, search_repo.ELLIPSIS, 16)
    return {
        "search": lambda c: search_repo.search(c, fts_query, LIMIT, cancelled=lambda: False),
        "bm25 all (before)": lambda c: c.execute(OLD, (*marks, fts_query, LIMIT)).fetchall(),
    }


def timed(call: Callable[[], object]) -> float:
    start = time.perf_counter()
    call()
    return (time.perf_counter() - start) * 1000


async def typed(path: Path, passphrase: str, word: str, runs: int) -> None:
    """Types `word` at 8 keys/s into the search screen `runs` times; prints the timings."""
    from textual import events
    from textual.widgets import OptionList

    from confidant_tui.domain.clock import FixedClock
    from confidant_tui.settings import Settings
    from confidant_tui.ui.app import make_app
    from confidant_tui.ui.screens.search import SearchScreen

    app = make_app(Settings(today_on_unlock=False), path, clock=FixedClock())
    async with app.run_test(size=(120, 40)) as pilot:
        field = app.screen.query_one("#passphrase")
        field.value = passphrase  # type: ignore[attr-defined]
        field.focus()
        await pilot.press("enter")
        while not (app.session.is_unlocked and not list(app.workers)):
            await pilot.pause(0.05)
        await pilot.pause(0.5)
        after = []
        for run in range(runs):
            await app.push_screen(SearchScreen())
            await pilot.pause(0.3)
            screen = app.screen
            results = screen.query_one("#results", OptionList)
            listed: list[tuple[float, str, int]] = []  # (when, the box's text, generation)
            add = results.add_options

            def logged(
                items: Any, add: Any = add, listed: list[Any] = listed, screen: Any = screen
            ) -> Any:
                done = add(items)
                query = screen.query_one("#query").value
                listed.append((time.perf_counter(), query, screen._generation))
                return done

            results.add_options = logged  # type: ignore[method-assign]
            last = 0.0
            for index, char in enumerate(word):
                if index:
                    await asyncio.sleep(0.125)
                key = events.Key(char, char)
                key.set_sender(app)
                last = time.perf_counter()
                app._driver.send_message(key)  # type: ignore[union-attr]
            while not any(q == word for _t, q, _g in listed) or any(
                w.group == "search" and w.is_running for w in app.workers
            ):
                await pilot.pause(0.02)
            await pilot.pause(0.3)
            # The newest generation's first listing (an earlier prefix's remaining lines may
            # be added while the box already shows the whole word).
            first = next(t for t, _q, g in listed if g == screen._generation)
            after.append((first - last) * 1000)
            order = [q for _t, q, _g in listed]
            print(f"run {run}: last key -> results {after[-1]:6.0f} ms; listed: {order}")
            screen.dismiss()
            await pilot.pause(0.3)
        print(f"median last key -> results: {statistics.median(after):.0f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("vault", type=Path)
    parser.add_argument("passphrase")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--plain", type=Path)
    parser.add_argument("--words", default="mel,melder,klacht,gesprek,declaraties,melder klacht")
    parser.add_argument("--typed", default="", help="type this word in the app instead")
    args = parser.parse_args()
    if args.typed:
        asyncio.run(typed(args.vault, args.passphrase, args.typed, args.runs))
        return
    plain_path = args.plain or args.vault.with_suffix(".plain.sqlite")
    vault = Vault.open(args.vault, args.passphrase, read_only=True)
    if not plain_path.exists():
        plain_copy(vault, plain_path)
    plain = open_plain(plain_path)
    print(f"{'query':16} {'action':18} {'matches':>8} {'enc ms':>8} {'plain ms':>8} {'ratio':>6}")
    for word in args.words.split(","):
        fts_query = build_query(word)
        if fts_query is None:
            continue
        with vault.reading() as conn:
            matches = conn.execute(
                "SELECT count(*) FROM search_fts WHERE search_fts MATCH ?", (fts_query,)
            ).fetchone()[0]
        for name, action in actions(fts_query).items():
            enc_times, plain_times = [], []
            for _ in range(args.runs):
                with vault.reading() as conn:
                    enc_times.append(timed(lambda a=action, c=conn: a(c)))
                plain_times.append(timed(in_snapshot(plain, action)))
            enc, pla = statistics.median(enc_times), statistics.median(plain_times)
            ratio = enc / pla if pla else 0.0
            print(f"{word:16} {name:18} {matches:8} {enc:8.1f} {pla:8.1f} {ratio:6.2f}")
    vault.close()
    plain.close()


if __name__ == "__main__":
    main()
