"""Times verifying an untouched audit chain of 10,000 entries (target: under a second).

Not a test: run `.venv/bin/python benchmarks/bench_audit_chain.py [--entries N]` and read the
figures. Builds a throwaway vault (KDF floor) in a temporary folder, appends N entries in one
transaction, then verifies the chain five times through `Vault.verify_audit` (the code
`confidant check` and the audit screen use) and prints the median and the slowest run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from confidant_tui.vault import kdf
from confidant_tui.vault.store import Vault

PASSPHRASE = "benchmark passphrase, not secret"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=10_000)
    entries = parser.parse_args().entries
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.vault"
        vault = Vault.create(path, PASSPHRASE, kdf.floor_params())
        start = dt.datetime(2026, 1, 1, 9, 0, 0)
        began = time.perf_counter()
        with vault.transaction() as conn:
            for number in range(entries):
                vault.append_audit(
                    conn,
                    at=start + dt.timedelta(minutes=number),
                    action="case.changed",
                    case_code=f"2026-{number % 999 + 1:03d}",
                    detail=None,
                )
        appended = time.perf_counter() - began
        runs = []
        for _ in range(5):
            began = time.perf_counter()
            result = vault.verify_audit()
            runs.append(time.perf_counter() - began)
            assert result.intact and result.count == entries
        vault.close()
    print(f"{entries} entries appended in {appended * 1000:.0f} ms (one transaction)")
    print(
        f"verify: median {statistics.median(runs) * 1000:.1f} ms, "
        f"slowest {max(runs) * 1000:.1f} ms (target: under 1000 ms)"
    )


if __name__ == "__main__":
    main()
