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

from confidant_tui.domain.cases import CaseFacts, Intake
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


async def measure(path: Path) -> None:
    """Runs the app and prints the timings of the list."""
    app = make_app(Settings(), path)
    async with app.run_test(size=(100, 30)) as pilot:
        field = app.screen.query_one("#passphrase")
        field.value = PASSPHRASE
        await pilot.press("enter")
        while not app.session.is_unlocked:
            await pilot.pause(0.01)

        async def until(check, label: str) -> None:  # type: ignore[no-untyped-def]
            start = time.perf_counter()
            while not check():
                await pilot.pause(0.001)
            print(f"{label:<36} {1000 * (time.perf_counter() - start):8.1f} ms")

        await until(lambda: isinstance(app.screen, CaseListScreen), "unlock to list screen")
        screen = app.screen
        table = screen.query_one("#cases")
        await until(lambda: table.row_count > 0, "first page shown")
        for page in range(2, 6):
            table.focus()
            await pilot.press("end")
            await until(lambda p=page: table.row_count >= p * 100, f"page {page} appended")
        screen.query_one("#filter-year").value = "2019"
        await until(lambda: screen.total < 10_000 and table.row_count > 0, "filter by year")


def main() -> None:
    """Builds the vault and runs the measurement."""
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.vault"
        start = time.perf_counter()
        build(path, count)
        print(f"{'build ' + str(count) + ' cases':<36} {time.perf_counter() - start:8.2f} s")
        asyncio.run(measure(path))


if __name__ == "__main__":
    main()
