"""The one benchmark command of issue 19: every measured action at every size, in one table.

Usage:
    python benchmarks/run.py [--cases 1000,10000,50000] [--runs 7] [--only a,b] [--out FILE]

For each size it builds (or reuses, from the cache folder) a seeded vault of generated cases
plus one case with 50 conversations, and a plain SQLite copy of it (`bench_vaults.py`), then
measures, each action in its own child process or function, so one that fails prints "error"
in its cell and the rest goes on:

- start-up: `startup_probe.py` spawned for Confidant (`confidant open`) and for a minimal
  Textual app (Header, password Input, Footer), alternately, each until its first frame;
  the cell is the ratio of the medians;
- the screen actions (`bench_actions.py screens`): headless `run_test`, from the key press to
  the screen settled (see that module for what "settled" means and how the app's own idle
  wait is left out); Argon2id is the floor and its time is subtracted from the unlock;
  unlocking, the list after it, opening a case and the list's pages are each followed by
  their Textual floor
  (`bench_floors.py`: the same widgets showing the same text, no Confidant code), printed
  beside them;
- encrypted / plain (`bench_actions.py ratio`): the list, count, search and report reads on
  the vault and on the plain copy, alternately in one process; the cell is the worst ratio
  among the queries that take at least 5 ms on the plain copy (faster ones are exempt);
- RSS (`bench_actions.py rss`): the resident memory after unlocking and browsing every
  screen above once, in a fresh process, floor KDF.

It prints one Markdown table (median of `--runs` runs per cell, the target, met or missed),
then one line per target missed. Progress and details go to stderr. Not a test: timings
depend on the machine; run it on a quiet machine and read the figures beside each other.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import bench_vaults

HERE = Path(__file__).resolve().parent

CHILD_TIMEOUT = 1800
"""Seconds a measuring child may take before its missing cells read \"error\"."""


@dataclass(frozen=True)
class Row:
    """One line of the table: how its cell reads and whether it meets the target."""

    key: str
    label: str
    target: str
    limit: float
    unit: str = "ms"
    floor: str | None = None
    """The action measuring its Textual floor (`bench_floors.py`), shown beside it."""


ROWS = [
    Row(
        "startup",
        "Process start → unlock screen, first frame (ratio to a minimal app)",
        "≤ 1.3× the minimal app",
        1.3,
        "×",
    ),
    Row("unlock", "Unlock → today view (Argon2id excluded)", "≤ 100 ms", 100, floor="floor_unlock"),
    Row(
        "today_back",
        "Today view → case list (Escape, after unlocking)",
        "≤ 100 ms",
        100,
        floor="floor_today_back",
    ),
    Row("case_typical", "Open a case (typical)", "≤ 100 ms", 100, floor="floor_case_typical"),
    Row("case_big", "Open a case (50 conversations)", "≤ 100 ms", 100, floor="floor_case_big"),
    Row("list_end", "Case list: End → next page", "≤ 100 ms", 100, floor="floor_list_end"),
    Row("list_sort", "Case list: sort (s)", "≤ 100 ms", 100, floor="floor_list_replace"),
    Row(
        "list_filter",
        "Case list: filter (last digit of a year)",
        "≤ 100 ms",
        100,
        floor="floor_list_replace",
    ),
    Row("search_open", "Open the search screen", "≤ 100 ms", 100),
    Row("search_word", "Search a common word, after the last key", "≤ 100 ms", 100),
    Row("search_typed", "Search typed at 8 keys/s, last key → results", "≤ 300 ms", 300),
    Row("report", "Report screen → figures", "≤ 300 ms", 300),
    Row("report_previous", "Report: previous year", "≤ 300 ms", 300),
    Row(
        "ratio",
        "Encrypted / plain SQLite, same queries, same process",
        "≤ 1.2 (queries ≥ 5 ms)",
        1.2,
        "×",
    ),
    Row("rss", "RSS after browsing (floor KDF)", "≤ 150 MiB", 150, "MiB"),
]
SCREEN_KEYS = [row.key for row in ROWS if row.key not in ("startup", "ratio", "rss")]


@dataclass
class Cell:
    """A measured value (compared with the row's limit), its text, or an error."""

    value: float | None = None
    text: str = "error"
    detail: str = ""


def log(text: str) -> None:
    sys.stderr.write(text + "\n")
    sys.stderr.flush()


def size_name(cases: int) -> str:
    return f"{cases // 1000}k" if cases >= 1000 and cases % 1000 == 0 else str(cases)


def child_env(vault: bench_vaults.BenchVault) -> dict[str, str]:
    env = dict(os.environ)
    # An installed app runs from compiled bytecode; a shell that forbids writing it would
    # make every start compile the changed modules again (the minimal app has none).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["CONFIDANT_TEST_KDF"] = "floor"
    env["CONFIDANT_STATE_DIR"] = str(vault.state_dir)
    env["CONFIDANT_CONFIG_DIR"] = str(vault.config_dir)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(HERE.parent), env.get("PYTHONPATH")]))
    return env


def run_actions(
    mode: str, vault: bench_vaults.BenchVault, runs: int, only: list[str]
) -> dict[str, dict[str, Any]]:
    """Runs `bench_actions.py MODE` and returns its results by action (partial on a crash)."""
    command = [
        sys.executable,
        str(HERE / "bench_actions.py"),
        mode,
        str(vault.path),
        str(vault.plain),
        "--runs",
        str(runs),
        "--only",
        ",".join(only),
    ]
    try:
        done = subprocess.run(
            command, env=child_env(vault), capture_output=True, text=True, timeout=CHILD_TIMEOUT
        )
        out, err, code = done.stdout, done.stderr, done.returncode
    except subprocess.TimeoutExpired as timeout:
        out = timeout.stdout.decode() if isinstance(timeout.stdout, bytes) else timeout.stdout or ""
        err, code = "timed out", -1
    found = {}
    for line in out.splitlines():
        if line.startswith("RESULT "):
            result = json.loads(line[len("RESULT ") :])
            found[result["action"]] = result
    if code != 0:
        log(f"  {mode}: child exited with {code}: {err.strip()[-600:]}")
    for result in found.values():
        if "error" in result:
            log(f"  {result['action']}: {result['error']}")
    return found


def median_cell(result: dict[str, Any] | None) -> Cell:
    if not result or "error" in result or not result.get("ms"):
        return Cell()
    values = result["ms"]
    middle = statistics.median(values)
    spread = f"{min(values):.0f}–{max(values):.0f}"
    return Cell(middle, f"{middle:.0f} ms", spread)


def ratio_cell(result: dict[str, Any] | None) -> Cell:
    if not result or "error" in result:
        return Cell()
    rows = result["rows"]
    floor = result["floor_ms"]
    for row in rows:
        log(
            f"    {row['query']:<36} {row['enc']:8.2f} ms {row['plain']:8.2f} ms"
            f" {row['ratio']:5.2f}"
        )
    counted = [row for row in rows if row["plain"] >= floor]
    if not counted:
        return Cell(0.0, f"all {len(rows)} queries < {floor:g} ms (exempt)")
    worst = max(counted, key=lambda row: row["ratio"])
    return Cell(
        worst["ratio"],
        f"{worst['ratio']:.2f} ({worst['query']}; {len(counted)} of {len(rows)} queries "
        f"≥ {floor:g} ms)",
        worst["query"],
    )


def rss_cell(result: dict[str, Any] | None) -> Cell:
    if not result or "error" in result:
        return Cell()
    return Cell(result["mib"], f"{result['mib']:.0f} MiB (peak {result['peak']:.0f})")


def probe(kind: str, vault: bench_vaults.BenchVault) -> float:
    """Spawns one start-up probe; ms from before the spawn to its first frame."""
    command = [sys.executable, str(HERE / "startup_probe.py"), kind]
    if kind == "confidant":
        command.append(str(vault.path))
    start = time.perf_counter()
    done = subprocess.run(
        command, env=child_env(vault), capture_output=True, text=True, timeout=120, check=False
    )
    for line in done.stdout.splitlines():
        if line.startswith("FRAME "):
            _frame, moment, screen = line.split()
            if kind == "confidant" and screen != "UnlockScreen":
                raise RuntimeError(f"the first frame showed {screen}, not the unlock screen")
            return (float(moment) - start) * 1000
    raise RuntimeError(f"{kind}: no frame ({done.stderr.strip()[-300:]})")


def startup_cell(vault: bench_vaults.BenchVault, runs: int) -> Cell:
    try:
        ours, minimal = [], []
        probe("minimal", vault), probe("confidant", vault)  # warm the file cache
        for run in range(runs):
            order = ("confidant", "minimal") if run % 2 else ("minimal", "confidant")
            for kind in order:
                (ours if kind == "confidant" else minimal).append(probe(kind, vault))
        a, b = statistics.median(ours), statistics.median(minimal)
        return Cell(a / b, f"{a / b:.2f}× ({a:.0f} / {b:.0f} ms)")
    except Exception as error:
        log(f"  startup: {type(error).__name__}: {error}")
        return Cell()


def measure_size(
    vault: bench_vaults.BenchVault, runs: int, only: set[str] | None
) -> dict[str, Cell]:
    wanted = [row.key for row in ROWS if not only or row.key in only]
    cells: dict[str, Cell] = {}
    if "startup" in wanted:
        log("  start-up ...")
        cells["startup"] = startup_cell(vault, runs)
    screens = [key for key in SCREEN_KEYS if key in wanted]
    floors = {row.key: row.floor for row in ROWS if row.floor and row.key in screens}
    if screens:
        log(f"  screens: {', '.join(screens)} ...")
        found = run_actions("screens", vault, runs, [*screens, *floors.values()])
        for key in screens:
            cells[key] = median_cell(found.get(key))
            log(f"    {key}: {cells[key].text} (runs {cells[key].detail})")
            floor = floors.get(key)
            if floor:
                cells[floor] = median_cell(found.get(floor))
                log(f"    {floor}: {cells[floor].text} (runs {cells[floor].detail})")
    if "ratio" in wanted:
        log("  encrypted / plain ...")
        cells["ratio"] = ratio_cell(run_actions("ratio", vault, max(runs, 7), []).get("ratio"))
    if "rss" in wanted:
        log("  RSS after browsing ...")
        cells["rss"] = rss_cell(run_actions("rss", vault, runs, []).get("rss"))
    return cells


def met(row: Row, cell: Cell) -> bool | None:
    return None if cell.value is None else cell.value <= row.limit


def shortfall(row: Row, cell: Cell, size: str) -> str:
    """How far one cell is off its target, e.g. "10k 776 ms (+676 ms, 7.8×)"."""
    assert cell.value is not None
    over = cell.value - row.limit
    if row.unit == "×":
        worst = f" ({cell.detail})" if cell.detail else ""
        return f"{size} {cell.value:.2f}×{worst}"
    if row.unit == "MiB":
        return f"{size} {cell.value:.0f} MiB (+{over:.0f} MiB)"
    return f"{size} {cell.value:.0f} ms (+{over:.0f} ms, {cell.value / row.limit:.1f}×)"


def floor_text(cell: Cell, floor: Cell | None) -> str:
    """A cell, with its Textual floor beside it when there is one."""
    if floor is None:
        return cell.text
    return f"{cell.text} (floor {floor.text})"


def table(results: dict[int, dict[str, Cell]]) -> tuple[str, list[str]]:
    """The Markdown table, and one line per row whose target is missed at some size."""
    sizes = list(results)
    names = [size_name(size) for size in sizes]
    lines = [
        "| Action | " + " | ".join(names) + " | Target | Met |",
        "|---|" + "---|" * len(sizes) + "---|---|",
    ]
    missed: list[str] = []
    for row in ROWS:
        cells = [results[size].get(row.key) for size in sizes]
        if all(cell is None for cell in cells):
            continue
        floors = [results[size].get(row.floor) if row.floor else None for size in sizes]
        over, unknown, textual = [], [], []
        for size, cell, floor in zip(names, cells, floors, strict=True):
            verdict = None if cell is None else met(row, cell)
            if cell is not None and verdict is False:
                text = shortfall(row, cell, size)
                if floor is not None and floor.value is not None:
                    text += f"; Textual floor {floor.value:.0f} ms"
                    if floor.value > row.limit:
                        textual.append(size)
                over.append(text)
            elif cell is not None and verdict is None:
                unknown.append(size)
        states = []
        if over:
            states.append("missed at " + ", ".join(item.split()[0] for item in over))
            missed.append(f"- {row.label}, target {row.target}: {'; '.join(over)}.")
        if textual:
            states.append("Textual's floor alone is over the target at " + ", ".join(textual))
        if unknown:
            states.append("error at " + ", ".join(unknown))
        state = "; ".join(states) or "met"
        texts = [
            "–" if cell is None else floor_text(cell, floor)
            for cell, floor in zip(cells, floors, strict=True)
        ]
        lines.append(f"| {row.label} | " + " | ".join(texts) + f" | {row.target} | {state} |")
    return "\n".join(lines), missed


def machine() -> str:
    """A line on the machine, Python, Textual and SQLCipher."""
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
        memory = next(
            int(line.split()[1]) / 1024**2
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        )
    except (OSError, StopIteration):
        memory = 0.0
    try:
        import sqlcipher3
        from textual import __version__ as textual_version

        conn = sqlcipher3.connect(":memory:")
        cipher = conn.execute("PRAGMA cipher_version").fetchone()[0]
        conn.close()
    except Exception:
        textual_version, cipher = "?", "?"
    return (
        f"{os.cpu_count()} cores ({model}), {memory:.0f} GiB, {platform.system()} "
        f"{platform.release()}, Python {platform.python_version()}, Textual {textual_version}, "
        f"SQLCipher {cipher}"
    )


def revision() -> str:
    """The commit measured, and whether the working tree differed from it."""
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=HERE, capture_output=True, text=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=HERE,
            capture_output=True,
            text=True,
        ).stdout.strip()
    except OSError:
        return "an unknown commit"
    return f"commit {head}" + (" with uncommitted changes" if dirty else "") if head else "?"


def changed(before: str) -> str:
    """A warning when the commit moved during the run (the sizes measured other code)."""
    after = revision()
    return "" if after == before else f" (during the run the tree moved to {after})"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", default="1000,10000,50000", help="sizes, comma-separated")
    parser.add_argument("--runs", type=int, default=7, help="runs per action (median)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--cache", type=Path, default=bench_vaults.DEFAULT_CACHE)
    parser.add_argument("--only", default="", help="action keys: " + ",".join(r.key for r in ROWS))
    parser.add_argument("--out", type=Path, help="also write the table and notes to this file")
    args = parser.parse_args(argv)
    sizes = [int(text) for text in args.cases.split(",") if text]
    only = {key for key in args.only.split(",") if key} or None
    unknown = (only or set()) - {row.key for row in ROWS}
    if unknown:
        parser.error(f"unknown action(s): {', '.join(sorted(unknown))}")
    os.environ["CONFIDANT_TEST_KDF"] = "floor"
    load_before = " ".join(f"{value:.1f}" for value in os.getloadavg())
    measured_at = revision()
    started = time.perf_counter()
    vaults = {}
    for size in sizes:
        log(f"vault of {size} cases ...")
        vaults[size] = bench_vaults.ensure(size, args.seed, args.cache, log=log)
    results: dict[int, dict[str, Cell]] = {}
    for size in sizes:
        log(f"measuring {size} cases ({args.runs} runs) ...")
        results[size] = measure_size(vaults[size], args.runs, only)
    text, missed = table(results)
    notes = [
        "",
        f"Median of {args.runs} runs per cell; measured {dt.date.today().isoformat()} at "
        f"{measured_at}{changed(measured_at)} on {machine()}; `python benchmarks/run.py --cases {args.cases} --runs {args.runs}` "
        f"took {(time.perf_counter() - started) / 60:.0f} min; load average before: "
        f"{load_before}.",
    ]
    if missed:
        notes += ["", "Targets missed:", "", *missed]
    output = text + "\n" + "\n".join(notes) + "\n"
    sys.stdout.write(output)
    if args.out:
        args.out.write_text(output, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
