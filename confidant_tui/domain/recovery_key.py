"""Provides the recovery key's written form: 128 random bits and a checksum, in groups.

The recovery key opens the vault when the passphrase is forgotten, so the adviser writes it
down by hand and types it back years later. Its form is made for that:

- 16 random bytes (128 bits) followed by a 4-byte checksum (the first 4 bytes of
  SHA-256("confidant-recovery-key" || key)), 20 bytes in all;
- written in Crockford's base32 (digits and capitals without I, L, O, U: no 0/O or 1/l to
  confuse), 32 characters in 8 groups of 4 joined by "-";
- read back forgivingly: lower case, spaces or no dashes, and the letters I, L (as 1) and
  O (as 0) are accepted, as Crockford prescribes.

A typed key whose checksum fails is refused as a typo before any cryptography runs: a
single wrong character changes at least 5 of the 160 bits, and the 32-bit checksum misses
that with a chance of about 1 in 4 billion.
"""

from __future__ import annotations

import hashlib
import secrets

from confidant_tui.errors import InvalidInput
from confidant_tui.i18n import _

KEY_BYTES = 16
CHECK_BYTES = 4
GROUP = 4
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
"""Crockford's base32 alphabet."""

_ALIASES = {"I": "1", "L": "1", "O": "0"}
_CHECK_LABEL = b"confidant-recovery-key"
_LENGTH = (KEY_BYTES + CHECK_BYTES) * 8 // 5
"""32 characters: 160 bits, exactly 32 base32 digits."""


def new_recovery_key() -> bytes:
    """A fresh recovery key: 16 random bytes from the operating system's generator."""
    return secrets.token_bytes(KEY_BYTES)


def _checksum(key: bytes) -> bytes:
    return hashlib.sha256(_CHECK_LABEL + key).digest()[:CHECK_BYTES]


def format_recovery_key(key: bytes) -> str:
    """The key as the adviser writes it down: `XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX`."""
    if len(key) != KEY_BYTES:
        raise ValueError("a recovery key has 16 bytes")
    number = int.from_bytes(key + _checksum(key), "big")
    digits = [ALPHABET[(number >> (5 * index)) & 31] for index in reversed(range(_LENGTH))]
    text = "".join(digits)
    return "-".join(text[start : start + GROUP] for start in range(0, _LENGTH, GROUP))


def parse_recovery_key(text: str) -> bytes:
    """Reads a typed recovery key back into its 16 bytes.

    Raises:
        InvalidInput: the text is not a recovery key, or its checksum fails (a typo).
    """
    typo = _(
        "This is not a valid recovery key: check the recovery key for a typo. It has 32 "
        "letters and digits in 8 groups of 4."
    )
    cleaned = "".join(text.split()).replace("-", "").upper()
    cleaned = "".join(_ALIASES.get(char, char) for char in cleaned)
    if len(cleaned) != _LENGTH or any(char not in ALPHABET for char in cleaned):
        raise InvalidInput(typo)
    number = 0
    for char in cleaned:
        number = (number << 5) | ALPHABET.index(char)
    raw = number.to_bytes(KEY_BYTES + CHECK_BYTES, "big")
    key, check = raw[:KEY_BYTES], raw[KEY_BYTES:]
    if not secrets.compare_digest(check, _checksum(key)):
        raise InvalidInput(typo)
    return key
