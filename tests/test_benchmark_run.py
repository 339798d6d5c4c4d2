"""Smoke test of `benchmarks/run.py`: the command builds a small vault and prints its table.

No timing is asserted (timings belong to the benchmark, not to tests): only that the command
finishes, that each asked row is measured (no "error" cell), and that rows not asked for are
left out.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_run_prints_one_table_for_the_chosen_actions(tmp_path: Path) -> None:
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "run.py"),
            "--cases",
            "200",
            "--runs",
            "1",
            "--only",
            "list_sort,case_typical,ratio",
            "--cache",
            str(tmp_path / "cache"),
            "--out",
            str(tmp_path / "table.md"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    lines = done.stdout.splitlines()
    assert lines[0] == "| Action | 200 | Target | Met |"
    rows = {line.split(" | ")[0].lstrip("| "): line for line in lines if line.startswith("| ")}
    assert set(rows) == {
        "Action",
        "Case list: sort (s)",
        "Open a case (typical)",
        "Encrypted / plain SQLite, same queries, same process",
    }
    assert " (floor " in rows["Open a case (typical)"], "the Textual floor stands beside it"
    for label, line in rows.items():
        assert "error" not in line, line
        assert line.endswith(" |"), label
    assert "Median of 1 runs per cell" in done.stdout
    assert (tmp_path / "table.md").read_text(encoding="utf-8") == done.stdout
    built = list((tmp_path / "cache").glob("200-s1-v*/complete"))
    assert len(built) == 1, "the vault and its plain copy are kept for the next run"
