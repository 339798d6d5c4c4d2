"""Measures `confidant import` of a generated file, then the home list and search on it.

Usage: python benchmarks/bench_import.py [COUNT] (default 10000)

Creates a throw-away vault with the KDF floor in a temporary folder, imports COUNT generated
cases through the same service the command uses (one transaction), and times the list
queries the home screen runs. Not part of the test run: timings depend on the machine.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate_cases import TODAY, generate

from confidant_tui.domain.cases import CaseFilter
from confidant_tui.services import cases, importing, search
from confidant_tui.vault import kdf
from confidant_tui.vault.store import Vault

IMPORT_NOW = dt.datetime.combine(TODAY, dt.time(23, 59))


def _timed(label: str, action):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    result = action()
    print(f"{label:<42} {time.perf_counter() - start:8.3f} s")
    return result


def main() -> None:
    """Runs the benchmark and prints the timings."""
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    with tempfile.TemporaryDirectory() as folder:
        file = Path(folder) / "cases.json"
        document = _timed(f"generate {count} cases", lambda: generate(count, seed=1))
        file.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
        print(f"file size: {file.stat().st_size / 1e6:.1f} MB")
        vault = Vault.create(Path(folder) / "bench.vault", "bench passphrase", kdf.floor_params())
        try:
            parsed = _timed(
                "read + validate",
                lambda: importing.validate_document(
                    importing.read_file(file), now=IMPORT_NOW, taxonomy=cases.load_taxonomy()
                ),
            )
            codes = _timed(
                "store (one transaction)",
                lambda: importing.store_validated(
                    vault, parsed, now=IMPORT_NOW, default_organisation="Bench"
                ),
            )
            assert len(codes) == count
            _timed("count all", lambda: cases.count_cases(vault))
            _timed(
                "first page, newest first", lambda: cases.list_cases(vault, CaseFilter(limit=50))
            )
            _timed(
                "page 100, by follow-up",
                lambda: cases.list_cases(
                    vault, CaseFilter(sort="follow_up", offset=5000, limit=50)
                ),
            )
            _timed(
                "open cases, category bullying",
                lambda: cases.list_cases(vault, CaseFilter(status="open", category="bullying")),
            )
            _timed("count year 2025", lambda: cases.count_cases(vault, CaseFilter(year=2025)))
            _timed("search 'bedrijfsarts'", lambda: search.search(vault, "bedrijfsarts"))
            _timed("search phrase", lambda: search.search(vault, '"formele klacht"'))
            _timed("get one full case", lambda: cases.get_case(vault, codes[count // 2]))
            _timed(
                "export all",
                lambda: importing.export_cases(vault),
            )
        finally:
            vault.close()
    print(f"(today fixed at {TODAY}; measured {dt.datetime.now():%Y-%m-%d %H:%M})")


if __name__ == "__main__":
    main()
