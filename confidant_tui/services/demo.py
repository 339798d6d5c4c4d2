"""Provides the demo vault: a fresh, temporary vault with fictional cases, removed afterwards.

The folder is private (0700) in the system's temp folder and holds the database, its header
and SQLite's `-wal`/`-shm`. It is removed when the demo ends, also after Ctrl+C or an error.
A folder left behind by a demo that was killed outright is removed by the next demo (each
folder records the process id that made it).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import importlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from confidant_tui.domain.taxonomy import Taxonomy
from confidant_tui.vault import freshness, kdf
from confidant_tui.vault.store import Vault

DEMO_PASSPHRASE = "oefenen met verzonnen dossiers"
"""The fixed passphrase of every demo vault; the unlock screen shows it (fictional data)."""

PREFIX = "confidant-demo-"
_PID_FILE = "pid"
_DEMO_DATA_MODULE = "confidant_tui.services.demo_data"


@dataclass(frozen=True)
class DemoVault:
    """A demo vault ready to open.

    Attributes:
        path: the database file.
        passphrase: its passphrase (`DEMO_PASSPHRASE`).
        cases: how many fictional cases were loaded (0 while no demo data exists).
    """

    path: Path
    passphrase: str
    cases: int


def load_fictional_cases(
    vault: Vault, *, today: dt.date, taxonomy: Taxonomy, default_organisation: str
) -> int:
    """Fills `vault` with the fictional demo cases, if the demo data module is installed."""
    try:
        module = importlib.import_module(_DEMO_DATA_MODULE)
    except ModuleNotFoundError as missing:
        if missing.name == _DEMO_DATA_MODULE:
            return 0
        raise
    return int(
        module.load_demo_cases(
            vault, today=today, taxonomy=taxonomy, default_organisation=default_organisation
        )
    )


def remove_stale_demos(base: Path | None = None) -> None:
    """Removes demo folders of this user whose process no longer runs."""
    folder = Path(base or tempfile.gettempdir())
    for candidate in folder.glob(PREFIX + "*"):
        with contextlib.suppress(OSError, ValueError):
            if not candidate.is_dir() or candidate.stat().st_uid != os.getuid():
                continue
            pid = int((candidate / _PID_FILE).read_text(encoding="ascii").strip())
            if pid != os.getpid() and not _process_exists(pid):
                shutil.rmtree(candidate, ignore_errors=True)


def _process_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@contextlib.contextmanager
def demo_vault(
    base: Path | None = None,
    *,
    today: dt.date,
    taxonomy: Taxonomy,
    default_organisation: str,
) -> Iterator[DemoVault]:
    """Creates a demo vault in a private temporary folder and removes the folder afterwards.

    The vault uses the KDF floor (it holds fictional data only, and should start fast).

    Args:
        base: where to make the folder (default: the system's temp folder).
        today: the adviser's today; taxonomy: the keys; default_organisation: for demo
            cases that name none (see `load_demo_cases`).

    Yields:
        The closed demo vault, ready for the app to open.
    """
    remove_stale_demos(base)
    folder = Path(tempfile.mkdtemp(prefix=PREFIX, dir=base))
    try:
        os.chmod(folder, 0o700)
        (folder / _PID_FILE).write_text(str(os.getpid()), encoding="ascii")
        path = folder / "demo.vault"
        vault = Vault.create(path, DEMO_PASSPHRASE, kdf.floor_params())
        vault_id = vault.vault_id
        try:
            count = load_fictional_cases(
                vault, today=today, taxonomy=taxonomy, default_organisation=default_organisation
            )
        finally:
            vault.close()
        try:
            yield DemoVault(path, DEMO_PASSPHRASE, count)
        finally:
            # The record of the demo's latest save would outlive the demo in the user's
            # state folder: remove it with the vault.
            freshness.forget_state(path, vault_id)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
