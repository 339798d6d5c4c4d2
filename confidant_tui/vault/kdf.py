"""Provides Argon2id key derivation from the adviser's passphrase, with its floor and caps.

The derived key only wraps the vault's random data key (see `header.py`); it is never the
database key itself. Parameters come from a plaintext header, so they are checked against
hard caps *before* Argon2 runs: a hostile header must not hang or exhaust the machine, nor
downgrade the vault below the floor.
"""

from __future__ import annotations

import os
import time
import unicodedata
from dataclasses import dataclass

from argon2.low_level import ARGON2_VERSION, Type, hash_secret_raw

from confidant_tui.errors import DamagedHeader
from confidant_tui.i18n import _

KDF_NAME = "argon2id"
KEY_BYTES = 32
SALT_BYTES = 16

FLOOR_MEMORY_KIB = 64 * 1024
FLOOR_TIME_COST = 3
FLOOR_PARALLELISM = 4

MAX_MEMORY_KIB = 2 * 1024 * 1024
MAX_TIME_COST = 20
MAX_PARALLELISM = 16
MIN_SALT_BYTES = 16
MAX_SALT_BYTES = 64

CALIBRATION_TARGET_SECONDS = 1.0
CALIBRATION_MAX_MEMORY_KIB = 1024 * 1024


@dataclass(frozen=True)
class KdfParams:
    """Argon2id parameters as stored in the header.

    Attributes:
        memory_kib: memory cost in KiB.
        time_cost: number of passes.
        parallelism: lanes.
        salt: random salt, new on every passphrase change.
    """

    memory_kib: int
    time_cost: int
    parallelism: int
    salt: bytes

    def with_new_salt(self) -> KdfParams:
        """Returns the same costs with a fresh random salt."""
        return KdfParams(self.memory_kib, self.time_cost, self.parallelism, new_salt())


def new_salt() -> bytes:
    """Returns a fresh random salt."""
    return os.urandom(SALT_BYTES)


def floor_params() -> KdfParams:
    """The weakest parameters ever accepted (RFC 9106's second recommendation)."""
    return KdfParams(FLOOR_MEMORY_KIB, FLOOR_TIME_COST, FLOOR_PARALLELISM, new_salt())


def check_params(name: str, version: int, params: KdfParams) -> None:
    """Refuses parameters outside the floor and the caps, before any work is done.

    Raises:
        DamagedHeader: the header names an unknown KDF or version, or costs outside the
            accepted range.
    """
    if name != KDF_NAME or version != ARGON2_VERSION:
        raise DamagedHeader(_("The vault header names an unknown key derivation."))
    ok = (
        FLOOR_MEMORY_KIB <= params.memory_kib <= MAX_MEMORY_KIB
        and FLOOR_TIME_COST <= params.time_cost <= MAX_TIME_COST
        and FLOOR_PARALLELISM <= params.parallelism <= MAX_PARALLELISM
        and MIN_SALT_BYTES <= len(params.salt) <= MAX_SALT_BYTES
        and params.memory_kib >= 8 * params.parallelism
    )
    if not ok:
        raise DamagedHeader(
            _("The vault header holds key-derivation settings outside the safe range.")
        )


def normalise_passphrase(passphrase: str) -> bytes:
    """NFKC-normalises and encodes a passphrase, so the same words typed on another
    keyboard or system give the same key."""
    return unicodedata.normalize("NFKC", passphrase).encode("utf-8")


def derive_key(passphrase: str, params: KdfParams) -> bytearray:
    """Derives the 256-bit key-encryption key from a passphrase.

    Args:
        passphrase: the adviser's passphrase.
        params: checked parameters (call `check_params` first for header input).

    Returns:
        The key in a `bytearray`, so the caller can zero it when done.
    """
    raw = hash_secret_raw(
        secret=normalise_passphrase(passphrase),
        salt=params.salt,
        time_cost=params.time_cost,
        memory_cost=params.memory_kib,
        parallelism=params.parallelism,
        hash_len=KEY_BYTES,
        type=Type.ID,
        version=ARGON2_VERSION,
    )
    return bytearray(raw)


def calibrate(target_seconds: float = CALIBRATION_TARGET_SECONDS) -> KdfParams:
    """Chooses the memory cost so that one derivation takes about `target_seconds`.

    Measures one derivation at the floor and scales memory linearly (Argon2's time grows
    linearly with memory), then rounds down to a multiple of 16 MiB; never below the floor
    nor above 1 GiB.
    """
    probe = floor_params()
    started = time.perf_counter()
    zero(derive_key("calibration", probe))
    elapsed = max(time.perf_counter() - started, 1e-3)
    memory = int(FLOOR_MEMORY_KIB * target_seconds / elapsed)
    memory -= memory % (16 * 1024)
    memory = max(FLOOR_MEMORY_KIB, min(memory, CALIBRATION_MAX_MEMORY_KIB))
    return KdfParams(memory, FLOOR_TIME_COST, FLOOR_PARALLELISM, new_salt())


def zero(buffer: bytearray) -> None:
    """Overwrites a key buffer with zeros."""
    for index in range(len(buffer)):
        buffer[index] = 0
