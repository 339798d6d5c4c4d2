"""Provides the vault use cases: create, open, change the passphrase, check.

The UI and the command line both call these; they never open SQLCipher themselves, and
never import `confidant_tui.vault` (the import contract in `pyproject.toml`): `Vault`, the
handle of an open vault, is re-exported here for their type hints.
"""

from __future__ import annotations

from pathlib import Path

from confidant_tui.domain.passphrase import check_passphrase
from confidant_tui.vault import kdf
from confidant_tui.vault.checks import CheckResult
from confidant_tui.vault.lock import WriterLock
from confidant_tui.vault.maintenance import change_passphrase, check_file
from confidant_tui.vault.opening import ensure_free, read_header_for
from confidant_tui.vault.store import Vault

__all__ = [
    "Vault",
    "check_vault",
    "create_vault",
    "ensure_free",
    "ensure_vault",
    "floor_kdf_params",
    "open_vault",
    "set_new_passphrase",
    "validate_new_passphrase",
]


def ensure_vault(path: Path, *, for_writing: bool = False) -> None:
    """Checks that a vault exists at `path` and its header is sound, before any passphrase
    is asked for; see `read_header_for` for the errors.

    Args:
        path: the vault's database file.
        for_writing: also refuse now (rather than after the passphrase is typed) when
            another process has the vault open for writing.

    Raises:
        VaultInUse: with `for_writing`, another process writes the vault.
    """
    read_header_for(path)
    if for_writing:
        probe = WriterLock(path)
        probe.acquire()
        probe.release()


def validate_new_passphrase(passphrase: str) -> None:
    """Refuses a weak new passphrase with the reason (see `domain.passphrase`)."""
    check_passphrase(passphrase)


def floor_kdf_params() -> kdf.KdfParams:
    """The cheapest Argon2id parameters ever accepted (fresh salt): for tests and the demo,
    where unlocking should take 0.1 s instead of the calibrated 1 s."""
    return kdf.floor_params()


def create_vault(path: Path, passphrase: str, params: kdf.KdfParams | None = None) -> Vault:
    """Creates a vault after checking the passphrase; calibrates Argon2id unless `params`.

    Args:
        path: the database file to create (its folder is created if needed).
        passphrase: the new passphrase (refused with the reason when weak).
        params: fixed KDF parameters (tests pass the floor); None calibrates to ~1 s.
    """
    check_passphrase(passphrase)
    return Vault.create(path, passphrase, params or kdf.calibrate())


def open_vault(
    path: Path, passphrase: str, *, read_only: bool = False, accept_rollback: bool = False
) -> Vault:
    """Opens a vault; see `Vault.open` for the errors and for `accept_rollback` (a writer
    refuses a vault that went back in time unless the adviser accepted it)."""
    return Vault.open(path, passphrase, read_only=read_only, accept_rollback=accept_rollback)


def set_new_passphrase(
    path: Path, current: str, new: str, params: kdf.KdfParams | None = None
) -> None:
    """Checks the new passphrase, then re-wraps the data key under it."""
    check_passphrase(new)
    change_passphrase(path, current, new, params)


def check_vault(path: Path, passphrase: str) -> list[CheckResult]:
    """Checks every encrypted page, the structure and the references (read-only; takes no
    writer lock, so it may run while the app has the vault open).

    The header was checked by `ensure_vault` (a damaged header raises there); a database
    that is damaged is reported in the results, not raised.

    Raises:
        WrongPassphrase: the passphrase does not unwrap the data key.
        VaultTooNew: the database was written by a newer version of Confidant.
    """
    return check_file(path, passphrase)
