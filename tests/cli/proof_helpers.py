"""Helpers for the proofs on rollback detection, backups and restores.

`cli` runs the real `confidant` command. `start_writer` starts a child process that opens
the vault for writing and saves cases numbered 1, 2, 3, ... in order, one transaction per
case (the case, its identity and its people in that one transaction), printing each number
once its commit (and the mirroring of the counter into the header and the state record) is
done. So a consistent copy of the vault holds exactly the cases 1..k for some k, and its
commit counter is the counter before the first case plus k.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path
from typing import Any

from confidant_tui.paths import header_path
from confidant_tui.vault import header as header_file

REPO = Path(__file__).resolve().parents[2]

WRITER = textwrap.dedent(
    """
    import datetime as dt
    import sys
    from pathlib import Path

    from confidant_tui.domain.cases import CaseFacts, Identity, Intake, Person
    from confidant_tui.services import cases
    from confidant_tui.vault.store import Vault

    path, count, marker = Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    taxonomy = cases.load_taxonomy()
    today = dt.date.today()
    vault = Vault.open(path, sys.stdin.readline().rstrip("\\n"))
    print("open", flush=True)
    number = 0
    while count == 0 or number < count:
        number += 1
        facts = CaseFacts(
            reporter_role="volunteer",
            categories=("bullying",),
            wishes=f"{marker} case {number}",
            people=(Person("accused", f"P{number}.", None), Person("witness", None, None)),
        )
        intake = Intake(today, facts, Identity(f"Fictief {number}", f"06-{number:08d}"))
        cases.create_case(
            vault, intake, today=today, taxonomy=taxonomy, default_organisation="Org"
        )
        print(number, flush=True)
        if count == 0 and Path(sys.argv[4]).exists():
            break
    print("done", flush=True)
    sys.stdin.readline()
    vault.close()
    print("closed", flush=True)
    """
)
"""The child that saves numbered cases (see the module's docstring). Arguments: the vault,
how many cases (0: until the stop file, argument 4, exists), and a
text for the cases' wishes. Standard input: the passphrase, then any line to close."""


def env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of a child process: this test's folders, the floor KDF, Dutch."""
    full = {**os.environ, "CONFIDANT_TEST_KDF": "floor"}
    full.pop("CONFIDANT_LANG", None)
    return {**full, **(extra or {})}


def cli(*args: str, stdin: str = "", lang: str | None = None) -> subprocess.CompletedProcess[str]:
    """Runs `confidant ARGS` to the end (Dutch unless `lang`)."""
    extra = {"CONFIDANT_LANG": lang} if lang else None
    return subprocess.run(
        [sys.executable, "-m", "confidant_tui", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env(extra),
        cwd=REPO,
        timeout=120,
    )


def start_writer(
    path: Path, passphrase: str, count: int, marker: str = "", stop_file: Path | None = None
) -> subprocess.Popen[str]:
    """Starts the numbered-cases writer and waits until it holds the vault open."""
    child = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path), str(count), marker, str(stop_file or "")],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env(),
        cwd=REPO,
    )
    assert child.stdin is not None and child.stdout is not None
    child.stdin.write(passphrase + "\n")
    child.stdin.flush()
    line = child.stdout.readline().strip()
    if line != "open":
        child.kill()
        raise AssertionError(f"writer did not open the vault: {line!r} {child.stderr.read()}")
    return child


def wait_for_done(child: subprocess.Popen[str]) -> int:
    """Reads the writer's progress until "done"; returns the last case number saved."""
    assert child.stdout is not None
    last = 0
    for line in child.stdout:
        if line.strip() == "done":
            return last
        last = int(line)
    raise AssertionError(f"writer ended early: {child.wait()} {child.stderr.read()}")  # type: ignore[union-attr]


def write_cases(path: Path, passphrase: str, count: int, marker: str = "") -> None:
    """Runs the writer for `count` cases to the end (the vault closed again)."""
    child = start_writer(path, passphrase, count, marker)
    assert wait_for_done(child) == count
    assert child.stdin is not None
    child.stdin.write("close\n")
    child.stdin.close()
    assert child.wait(timeout=60) == 0


class Progress:
    """Follows a writer started with count 0: `number` is the last case it saved; `stop`
    ends it (through the stop file) and closes the vault; returns the last number."""

    def __init__(self, child: subprocess.Popen[str], stop_file: Path) -> None:
        self.child, self.stop_file = child, stop_file
        self.number = 0
        self.finished = threading.Event()
        self._thread = threading.Thread(target=self._follow, daemon=True)
        self._thread.start()

    def _follow(self) -> None:
        assert self.child.stdout is not None
        for line in self.child.stdout:
            if line.strip() == "done":
                self.finished.set()
                return
            self.number = int(line)

    def wait_for(self, number: int, timeout: float = 60) -> None:
        """Waits until the writer saved case `number`."""
        deadline = time.monotonic() + timeout
        while self.number < number:
            if self.child.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"writer at {self.number}, not {number}")
            time.sleep(0.01)

    def stop(self) -> int:
        self.stop_file.touch()
        assert self.finished.wait(timeout=60), "the writer did not stop"
        assert self.child.stdin is not None
        self.child.stdin.write("close\n")
        self.child.stdin.close()
        assert self.child.wait(timeout=60) == 0
        return self.number


def sidecars(path: Path) -> tuple[Path, Path]:
    """SQLite's `-wal` and `-shm` beside the database."""
    return path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")


def vault_files(path: Path) -> dict[str, bytes]:
    """The bytes of every file of the vault in its folder (database, header, sidecars;
    not the lock file, which a refused writer may create)."""
    return {
        item.name: item.read_bytes()
        for item in sorted(path.parent.iterdir())
        if item.name.startswith(path.name) and not item.name.endswith(".lock")
    }


def header_counter(path: Path) -> int | None:
    """The commit counter in the vault's header (None: no mark)."""
    mark = header_file.read(header_path(path)).commit
    return None if mark is None else mark.counter


def numbered_cases(snapshot: dict[str, Any], marker: str = "") -> list[int]:
    """The case numbers the writer gave (from the cases' wishes), sorted."""
    numbers = []
    for row in snapshot["rows"]["cases"]:
        for value in row:
            if isinstance(value, str) and value.startswith(f"{marker} case "):
                numbers.append(int(value.rsplit(" ", 1)[1]))
    return sorted(numbers)
