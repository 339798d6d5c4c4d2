"""Times the case list screen on 10,000 cases: opening, paging to the end, filtering.

Usage: python benchmarks/bench_case_list.py [COUNT] (default 10000)

Builds a throw-away vault (KDF floor) with COUNT small cases, then runs the app headless
(`run_test`) and times how long the first page, the next pages and a filter take to show.
Not part of the test run: timings depend on the machine.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

from confidant_tui.domain.cases import CaseFacts, CaseFilter, Intake
from confidant_tui.services import cases
from confidant_tui.settings import Settings
from confidant_tui.ui.app import make_app
from confidant_tui.ui.screens.case_list import CaseListScreen
from confidant_tui.vault import cases_repo, kdf
from confidant_tui.vault.store import Vault

PASSPHRASE = "benchmark passphrase only"


def build(path: Path, count: int) -> None:
    """Creates the vault with `count` cases in one transaction."""
    Vault.create(path, PASSPHRASE, kdf.floor_params()).close()
    with Vault.open(path, PASSPHRASE) as vault, vault.transaction() as conn:
        for index in range(count):
            year = 2016 + index % 10
            opened = dt.date(year, 1, 1) + dt.timedelta(days=index % 360)
            facts = CaseFacts("employee", ("bullying",), reporter_alias=f"R{index}")
            cases_repo.insert_case(
                conn,
                Intake(opened, facts),
                code=cases_repo.format_code(year, index // 10 + 1),
                organisation="Partij",
            )


def measure_services(path: Path) -> None:
    """Times the calls the list makes: one page of 100 and the count, over every case."""
    with Vault.open(path, PASSPHRASE, read_only=True) as vault:
        for label, call in (
            ("service: first page of 100", lambda: cases.list_cases(vault, CaseFilter())),
            ("service: count all", lambda: cases.count_cases(vault, CaseFilter())),
            (
                "service: page at offset 9,900",
                lambda: cases.list_cases(vault, CaseFilter(offset=9_900)),
            ),
            ("service: filter by year", lambda: cases.list_cases(vault, CaseFilter(year=2019))),
        ):
            runs = []
            for _ in range(5):
                start = time.perf_counter()
                call()
                runs.append(time.perf_counter() - start)
            print(f"{label:<36} {1000 * sorted(runs)[2]:8.1f} ms (median of 5)")


async def measure(path: Path) -> None:
    """Runs the app and prints how long each action takes until the screen shows it.

    Each timer starts before the key press or value change, so the wait includes the work.
    """
    app = make_app(Settings(), path)
    async with app.run_test(size=(100, 30)) as pilot:

        async def timed(action, check, label: str) -> None:  # type: ignore[no-untyped-def]
            start = time.perf_counter()
            await action()
            while not check():
                await pilot.pause(0.001)
            print(f"{label:<36} {1000 * (time.perf_counter() - start):8.1f} ms")

        app.screen.query_one("#passphrase").value = PASSPHRASE

        def list_shown() -> bool:
            screen = app.screen
            return isinstance(screen, CaseListScreen) and screen.query_one("#cases").row_count > 0

        await timed(lambda: pilot.press("enter"), list_shown, "unlock (Argon2 floor) to first page")
        screen = app.screen
        table = screen.query_one("#cases")
        table.focus()
        for page in range(2, 6):
            await timed(
                lambda: pilot.press("end"),
                lambda p=page: table.row_count >= p * 100,
                f"End key to page {page} appended",
            )

        async def filter_year() -> None:
            screen.query_one("#filter-year").value = "2019"

        await timed(
            filter_year,
            lambda: screen.total < 10_000 and table.row_count > 0,
            "filter by year shown",
        )


def main() -> None:
    """Builds the vault and runs the measurement."""
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.vault"
        start = time.perf_counter()
        build(path, count)
        print(f"{'build ' + str(count) + ' cases':<36} {time.perf_counter() - start:8.2f} s")
        measure_services(path)
        asyncio.run(measure(path))


if __name__ == "__main__":
    main()
