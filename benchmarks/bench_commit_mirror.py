"""Times what rollback detection costs per save: the commit counter and its mirror.

Not a test: run `.venv/bin/python benchmarks/bench_commit_mirror.py [--dir FOLDER]` and read
the figures. FOLDER must be on the disk the vault will live on (default: the repository's
folder), not a RAM disk such as /tmp on some systems: the mirror's cost is two small file
replacements with fsync.

Three variants of the same small write transaction (one row into `meta`), interleaved in
rounds so that a change in the machine's load hits each alike:

- plain: the transaction alone (no counter, no mirror);
- counter: the counter is bumped inside the transaction (one more UPDATE), no mirror;
- full: counter and mirror (header and state record rewritten after the commit), as shipped.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from confidant_tui.vault import freshness, kdf, store
from confidant_tui.vault.store import Vault

SAVES = 500
ROUNDS = 10
PASSPHRASE = "benchmark passphrase, not secret"


def _time_saves(vault: Vault, count: int, start: int) -> list[float]:
    durations = []
    for number in range(start, start + count):
        began = time.perf_counter()
        with vault.transaction() as conn:
            conn.execute("INSERT INTO meta(key, value) VALUES (?, 'x')", (f"bench{number}",))
        durations.append(time.perf_counter() - began)
    return durations


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", type=Path, default=Path(__file__).resolve().parents[1])
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-mirror-", dir=args.dir))
    os.environ["CONFIDANT_STATE_DIR"] = str(folder / "state")
    real_bump, real_mirror = freshness.bump_counter, Vault._mirror
    variants = {
        "plain": (lambda conn: None, lambda self, counter: None),
        "counter": (real_bump, lambda self, counter: None),
        "full": (real_bump, real_mirror),
    }
    times: dict[str, list[float]] = {name: [] for name in variants}
    try:
        path = folder / "bench.vault"
        vault = Vault.create(path, PASSPHRASE, kdf.floor_params())
        number = 0
        per_round = SAVES // ROUNDS
        for _ in range(ROUNDS):
            for name, (bump, mirror) in variants.items():
                store.fresh.bump_counter = bump  # type: ignore[assignment]
                Vault._mirror = mirror  # type: ignore[method-assign]
                times[name] += _time_saves(vault, per_round, number)
                number += per_round
        store.fresh.bump_counter, Vault._mirror = real_bump, real_mirror  # type: ignore[method-assign]
        vault.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print(f"{SAVES} small saves per variant in {folder.parent}")
    for name, values in times.items():
        values_ms = [value * 1000 for value in values]
        print(
            f"{name:8} median {statistics.median(values_ms):6.2f} ms, "
            f"mean {statistics.fmean(values_ms):6.2f} ms, "
            f"p95 {statistics.quantiles(values_ms, n=20)[-1]:6.2f} ms"
        )
    full = statistics.median(times["full"])
    plain = statistics.median(times["plain"])
    print(f"cost of counter + mirror per save (median): {(full - plain) * 1000:.2f} ms")


if __name__ == "__main__":
    main()
