"""Times the case list's queries and the report's reads, encrypted and on a plain copy.

Usage:
    CONFIDANT_TEST_KDF=floor CONFIDANT_STATE_DIR=... CONFIDANT_CONFIG_DIR=... \\
    python benchmarks/bench_queries.py VAULT PASSPHRASE [--runs 7] [--cache-size -2000,-8000]
        [--plain PATH] [--year 2025] [--only NAME,...]

Opens VAULT read-only (so it must be at this build's schema: open it once for writing
first), makes a plain SQLite copy beside it with `sqlcipher_export` (or reuses `--plain`),
and runs each action interleaved on both connections in one process: the median of
`--runs` runs in ms, and the encrypted/plain ratio. With several `--cache-size` values the
encrypted side is measured once per value (a fresh connection each time, the plain copy at
SQLite's default). Not a test: timings depend on the machine; read them beside each other.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import sqlcipher3

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from confidant_tui.domain.cases import CaseFilter
from confidant_tui.services import report as report_service
from confidant_tui.services.cases import load_taxonomy
from confidant_tui.vault import cases_query, stats_counts, stats_repo
from confidant_tui.vault.connection import connect
from confidant_tui.vault.store import Vault

Action = Callable[[Any], object]
PAGE = 100


def plain_copy(vault: Vault, target: Path) -> None:
    """A plaintext SQLite database with the same schema and rows (`sqlcipher_export`)."""
    export_plain(vault.path, vault.data_key_copy(), target)


def export_plain(path: Path, key: bytes | bytearray, target: Path) -> None:
    """Exports the vault at `path` (opened with its data `key`) to a plain database."""
    conn = connect(path, key, create=False, read_only_file=True)
    try:
        conn.execute("ATTACH DATABASE ? AS plain KEY ''", (str(target),))
        conn.execute("SELECT sqlcipher_export('plain')")
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        conn.execute(f"PRAGMA plain.user_version = {int(version)}")
        conn.execute("DETACH DATABASE plain")
    finally:
        conn.close()


def open_plain(path: Path) -> Any:
    conn = sqlcipher3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None)
    conn.execute("PRAGMA temp_store = MEMORY")
    return conn


def key_of_row(conn: Any, selection: CaseFilter, index: int) -> int:
    """The id of the row at `index` in the selection's order (for `summaries_after`)."""
    rows = cases_query.summaries(
        conn, CaseFilter(**{**vars(selection), "offset": index, "limit": 1})
    )
    return rows[0].id


def actions(total: int, year: int) -> dict[str, Action]:
    """Every timed action: name -> function of a connection."""
    found: dict[str, Action] = {}
    for sort in ("code", "opened", "status", "follow_up"):
        for descending in (False, True):
            selection = CaseFilter(sort=sort, descending=descending, limit=PAGE)
            name = f"page 1 {sort}{' desc' if descending else ''}"
            found[name] = lambda c, s=selection: cases_query.summaries(c, s)
    last = CaseFilter(offset=max(0, total - PAGE), limit=PAGE)
    found["last page by OFFSET (opened desc)"] = lambda c: cases_query.summaries(c, last)
    if hasattr(cases_query, "summaries_after"):
        holder: dict[int, int] = {}

        def after(c: Any) -> object:
            key = holder.get(id(c))
            if key is None:
                key = holder[id(c)] = key_of_row(c, CaseFilter(limit=PAGE), total - PAGE - 1)
            return cases_query.summaries_after(c, CaseFilter(limit=PAGE), key)

        found["last page by key (opened desc)"] = after
    for label, selection in (
        ("status=open", CaseFilter(status="open", limit=PAGE)),
        (f"year={year - 3}", CaseFilter(year=year - 3, limit=PAGE)),
        ("organisation", CaseFilter(organisation="Mijn organisatie", limit=PAGE)),
        ("category=bullying", CaseFilter(category="bullying", limit=PAGE)),
        ("category+year", CaseFilter(category="bullying", year=year - 3, limit=PAGE)),
    ):
        found[f"page 1 {label}"] = lambda c, s=selection: cases_query.summaries(c, s)
        found[f"count {label}"] = lambda c, s=selection: cases_query.count(c, s)
    found["count all"] = lambda c: cases_query.count(c, CaseFilter())
    found["full list, every row"] = lambda c: cases_query.summaries(c, CaseFilter(limit=None))
    found[f"report counts {year} (live + kept)"] = lambda c: (
        stats_counts.live_figures(c, 1, (year - 1, year)),
        stats_repo.kept_records(c, 1),
    )
    return found


def timed(call: Callable[[], object]) -> float:
    start = time.perf_counter()
    call()
    return (time.perf_counter() - start) * 1000


def in_snapshot(conn: Any, action: Action) -> Callable[[], object]:
    def run() -> object:
        conn.execute("BEGIN")
        try:
            return action(conn)
        finally:
            conn.execute("ROLLBACK")

    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("vault", type=Path)
    parser.add_argument("passphrase")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--cache-size", default="")
    parser.add_argument("--plain", type=Path)
    parser.add_argument("--year", type=int, default=2025)
    parser.add_argument("--only", default="")
    parser.add_argument("--no-build", action="store_true", help="skip build_report")
    args = parser.parse_args()
    sizes = [int(s) for s in args.cache_size.split(",") if s] or [None]
    plain_path = args.plain or args.vault.with_suffix(".plain.sqlite")
    vault = Vault.open(args.vault, args.passphrase, read_only=True)
    if not plain_path.exists():
        start = time.perf_counter()
        plain_copy(vault, plain_path)
        print(f"plain copy made in {time.perf_counter() - start:.1f} s: {plain_path}")
    plain = open_plain(plain_path)
    with vault.reading() as conn:
        total = cases_query.count(conn, CaseFilter())
        default_size = conn.execute("PRAGMA cache_size").fetchone()[0]
    chosen = actions(total, args.year)
    if args.only:
        wanted = args.only.split(",")
        chosen = {k: v for k, v in chosen.items() if any(w in k for w in wanted)}
    print(f"{total} cases, {args.runs} runs; the vault's cache_size: {default_size}")
    for size in sizes:
        if size is not None:
            vault.close()
            vault = Vault.open(args.vault, args.passphrase, read_only=True)
            with vault.reading() as conn:
                conn.execute(f"PRAGMA cache_size = {size}")
        print(f"\n== cache_size {size if size is not None else default_size}")
        print(f"{'action':42} {'enc ms':>9} {'plain ms':>9} {'ratio':>6}")
        for name, action in chosen.items():
            enc_times, plain_times = [], []
            for _ in range(args.runs):
                with vault.reading() as conn:
                    enc_times.append(timed(partial(action, conn)))
                plain_times.append(timed(in_snapshot(plain, action)))
            enc, pla = statistics.median(enc_times), statistics.median(plain_times)
            print(f"{name:42} {enc:9.2f} {pla:9.2f} {enc / pla if pla else 0:6.2f}")
        if not args.no_build:
            build = partial(report_service.build_report, vault, args.year, taxonomy=load_taxonomy())
            builds = []
            for _ in range(args.runs):
                forget = getattr(report_service, "forget_cached", None)
                if forget:
                    forget()
                builds.append(timed(build))
            print(
                f"{'build_report ' + str(args.year) + ' (uncached)':42} "
                f"{statistics.median(builds):9.2f}"
            )
            if hasattr(report_service, "forget_cached"):
                cached = [timed(build) for _ in range(args.runs)]
                print(f"{'build_report (cached)':42} {statistics.median(cached):9.2f}")
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"peak RSS so far: {rss:.0f} MiB")
    vault.close()
    plain.close()


if __name__ == "__main__":
    main()
