"""Provides the vault use cases: create (with its first organisation), open, change the passphrase, the recovery key,
recovery, check; and stronger key derivation when a writer unlocks a weakly derived vault.

The UI and the command line both call these; they never open SQLCipher themselves, and
never import `confidant_tui.vault` (the import contract in `pyproject.toml`): `Vault`, the
handle of an open vault, is re-exported here for their type hints.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from confidant_tui.domain.organisation import check_name
from confidant_tui.domain.passphrase import check_passphrase
from confidant_tui.domain.recovery_key import new_recovery_key, parse_recovery_key
from confidant_tui.errors import ConfidantError, VaultMissing
from confidant_tui.i18n import _
from confidant_tui.paths import header_path
from confidant_tui.services.demo import DEMO_PASSPHRASE
from confidant_tui.vault import kdf, maintenance
from confidant_tui.vault.checks import CheckResult
from confidant_tui.vault.lock import WriterLock
from confidant_tui.vault.maintenance import change_passphrase, check_file
from confidant_tui.vault.opening import ensure_free, read_header_for
from confidant_tui.vault.store import Vault

__all__ = [
    "Vault",
    "add_first_organisation",
    "check_organisation_name",
    "check_recovery_key",
    "check_vault",
    "create_vault",
    "ensure_free",
    "ensure_vault",
    "floor_kdf_params",
    "has_recovery_key",
    "is_below_defaults",
    "make_recovery_key",
    "open_vault",
    "recover_vault",
    "replace_recovery_key",
    "set_new_passphrase",
    "strengthen_if_weak",
    "strong_kdf_params",
    "validate_new_passphrase",
]

DEFAULT_MEMORY_KIB = 256 * 1024
DEFAULT_TIME_COST = 3
DEFAULT_PARALLELISM = 4
"""The Argon2id defaults of the security brief (m = 256 MiB, t = 3, p = 4): no vault in use
is derived with less. `init` calibrates to about a second but never below them, and a writer
that unlocks a vault below them (one made with the floor) strengthens it."""

TEST_KDF_ENV = "CONFIDANT_TEST_KDF"
"""Set to `floor` in tests (see `cli.main`): no calibration, and no strengthening either."""


def ensure_vault(path: Path, *, for_writing: bool = False) -> None:
    """Checks that a vault exists at `path` and its header is sound, before any passphrase
    is asked for; see `read_header_for` for the errors.

    Args:
        path: the vault's database file.
        for_writing: also refuse now (rather than after the passphrase is typed) when
            another process has the vault open for writing.

    When nothing at all is at `path` (no database, no header), the error says what to do
    next: make a vault with `confidant init`, or try the app with `confidant demo`.

    Raises:
        VaultMissing: nothing at `path` (with the next step), or only the header there.
        VaultInUse: with `for_writing`, another process writes the vault.
    """
    try:
        read_header_for(path)
    except VaultMissing:
        if path.exists() or header_path(path).exists():
            raise
        raise VaultMissing(
            _(
                "There is no vault at {path}. Make one first with 'confidant init' (or try "
                "Confidant on made-up cases with 'confidant demo')."
            ).format(path=path)
        ) from None
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


def strong_kdf_params() -> kdf.KdfParams:
    """Argon2id parameters calibrated on this computer to about a second of unlocking, as
    `init` does, but never below the defaults (fresh salt)."""
    measured = kdf.calibrate()
    return kdf.KdfParams(
        max(measured.memory_kib, DEFAULT_MEMORY_KIB),
        max(measured.time_cost, DEFAULT_TIME_COST),
        max(measured.parallelism, DEFAULT_PARALLELISM),
        measured.salt,
    )


def is_below_defaults(params: kdf.KdfParams) -> bool:
    """Whether a vault's Argon2id costs are below the defaults (m = 256 MiB, t = 3, p = 4)."""
    return (
        params.memory_kib < DEFAULT_MEMORY_KIB
        or params.time_cost < DEFAULT_TIME_COST
        or params.parallelism < DEFAULT_PARALLELISM
    )


def make_recovery_key() -> bytes:
    """A fresh recovery key (16 random bytes); `cli` shows it in its written form."""
    return new_recovery_key()


def create_vault(
    path: Path,
    passphrase: str,
    params: kdf.KdfParams | None = None,
    *,
    recovery_key: bytes | None = None,
) -> Vault:
    """Creates a vault after checking the passphrase; calibrates Argon2id unless `params`.

    Args:
        path: the database file to create (its folder is created if needed).
        passphrase: the new passphrase (refused with the reason when weak).
        params: fixed KDF parameters (tests pass the floor); None calibrates to ~1 s, never
            below the defaults (`strong_kdf_params`).
        recovery_key: a key from `make_recovery_key` that also opens the vault (None: the
            vault gets no recovery key).
    """
    check_passphrase(passphrase)
    return Vault.create(path, passphrase, params or strong_kdf_params(), recovery_key=recovery_key)


def check_organisation_name(name: str) -> str:
    """The organisation's name for `add_first_organisation`, stripped.

    Raises:
        InvalidInput: empty, too long, or holding control characters.
    """
    return check_name(name)


def add_first_organisation(
    vault: Vault, name: str | None, *, default_name: str, moment: dt.datetime
) -> str:
    """Gives a new vault its first organisation, the one its cases and report belong to.

    Called by `init` right after `create_vault`. It settles the vault as every first open
    does (`organisations.settle`: the values of an old settings file move in), so the
    organisation is there before the vault is first opened.

    Args:
        vault: the new vault, open for writing.
        name: the name the adviser gave (checked with `check_organisation_name`), or None.
        default_name: the name when none was given ("My organisation" in the adviser's
            language; a report shows it in the report's language).
        moment: now, for the audit log.

    Returns:
        The name of the organisation new cases get.
    """
    from confidant_tui.services import organisations  # not on the app's start-up path

    found = organisations.settle(vault, default_name=name or default_name, moment=moment)
    if name is not None and not any(o.name == name for o in found):
        # an old settings file named another organisation: the adviser's name still counts
        organisations.add_organisation(vault, name)
        organisations.edit_organisation(vault, name, {}, make_default=True)
        return name
    default = organisations.default_organisation(found)
    return default.name if default is not None else name or default_name


def open_vault(
    path: Path, passphrase: str, *, read_only: bool = False, accept_rollback: bool = False
) -> Vault:
    """Opens a vault; see `Vault.open` for the errors and for `accept_rollback` (a writer
    refuses a vault that went back in time unless the adviser accepted it).

    A writer that unlocks a vault derived below the defaults (made with the floor)
    strengthens it: see `strengthen_if_weak`. A read-only open never writes the header.
    """
    vault = Vault.open(path, passphrase, read_only=read_only, accept_rollback=accept_rollback)
    if not read_only:
        try:
            strengthen_if_weak(vault, passphrase)
        except BaseException:  # interrupted: close, so the writer lock is not left held
            vault.close()
            raise
    return vault


def strengthen_if_weak(vault: Vault, passphrase: str) -> bool:
    """Re-wraps the data key of a vault just opened for writing under calibrated Argon2id
    costs when its costs are below the defaults; returns whether it did.

    Calibrates as `init` does (about a second, never below the defaults), then rewrites the
    header atomically and verifies it, as `passwd` does, keeping the recovery wrap and the
    commit mark. Not done for the demo vault (its passphrase is public, so stronger costs
    only slow it down) nor while `CONFIDANT_TEST_KDF=floor` is set. A failure leaves the
    old header (it still opens the vault), so it never stops the adviser from working.
    """
    if vault.read_only or os.environ.get(TEST_KDF_ENV) == "floor":
        return False
    if passphrase == DEMO_PASSPHRASE:
        return False
    try:
        if not is_below_defaults(vault.header().kdf_params):
            return False
        maintenance.strengthen_key_derivation(vault, passphrase, strong_kdf_params())
    except ConfidantError:
        return False
    return True


def set_new_passphrase(
    path: Path, current: str, new: str, params: kdf.KdfParams | None = None
) -> None:
    """Checks the new passphrase, then re-wraps the data key under it."""
    check_passphrase(new)
    change_passphrase(path, current, new, params)


def has_recovery_key(path: Path) -> bool:
    """Whether the vault has a recovery key (reads the header only, no passphrase)."""
    return maintenance.has_recovery_key(path)


def replace_recovery_key(path: Path, passphrase: str) -> bytes:
    """Makes a new recovery key for the vault and returns it; the old one stops working.

    Raises:
        WrongPassphrase, VaultInUse, DamagedDatabase, VaultTooNew, StorageError: see
            `maintenance.set_recovery_key` (nothing changed).
    """
    key = new_recovery_key()
    maintenance.set_recovery_key(path, passphrase, key)
    return key


def check_recovery_key(path: Path, typed: str) -> bytes:
    """Reads a typed recovery key and checks that it opens the vault; returns its bytes.

    Raises:
        InvalidInput: the text is no recovery key or its checksum fails (a typo).
        WrongRecoveryKey: a well-formed key that does not open this vault, or a vault
            without a recovery key.
    """
    key = parse_recovery_key(typed)
    maintenance.check_recovery_key(path, key)
    return key


def recover_vault(
    path: Path, recovery_key: bytes, new: str, params: kdf.KdfParams | None = None
) -> None:
    """Checks the new passphrase, then sets it with the recovery key: the old passphrase
    stops working, the recovery key keeps working (see `maintenance.recover`)."""
    check_passphrase(new)
    maintenance.recover(path, recovery_key, new, params)


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
