"""Provides the single-writer lock of a vault (an advisory `flock` on `<vault>.lock`).

Only one process may write a vault; read-only commands (`check`, `report`, `backup`) take no
lock and may run while the app is open. The lock lives in its own file because the header is
replaced on a passphrase change and SQLite uses POSIX locks on the database itself.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

from confidant_tui.errors import StorageError, VaultInUse
from confidant_tui.i18n import _
from confidant_tui.paths import lock_path


class WriterLock:
    """An exclusive, non-blocking lock held until `release` (or process exit).

    Args:
        vault_path: the vault's database file.
    """

    def __init__(self, vault_path: Path) -> None:
        self._path = lock_path(vault_path)
        self._fd: int | None = None

    def acquire(self) -> None:
        """Takes the lock.

        Raises:
            VaultInUse: another process holds it.
        """
        try:
            fd = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError:
            raise StorageError(
                _("The vault's lock file cannot be made; check the permissions of its folder.")
            ) from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise VaultInUse(
                _("The vault is open in another Confidant window or process. Close it there first.")
            ) from None
        self._fd = fd

    def release(self) -> None:
        """Releases the lock (idempotent)."""
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None

    @property
    def held(self) -> bool:
        """Whether this object holds the lock."""
        return self._fd is not None
