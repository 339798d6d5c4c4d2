"""Single-bit flips anywhere in the vault are detected: no crash, no wrong data.

The database is flipped at 200+ places (the SQLCipher salt at the start of page 1, page 1's
body, IV and HMAC, the last page, and spread over the rest); after each flip either opening
fails with a clean `ConfidantError`, or `check` reports a problem, and data that is read is
never different from what was stored. Every bit of the header is flipped too: each flip is
refused before Argon2 runs. A tamperer who also fixes the header's checksum is caught by the
key check value or by AES-GCM.

Speed: Argon2 is memoised for the database flips (the header, hence the key, is unchanged).
"""

from __future__ import annotations

import base64
import json
import random
from pathlib import Path

import pytest
from conftest import PASSPHRASE

from confidant_tui.errors import ConfidantError, DamagedHeader, WrongPassphrase
from confidant_tui.paths import header_path
from confidant_tui.vault import checks, header, kdf
from confidant_tui.vault.store import Vault

PAGE = 4096
RESERVED = 80  # SQLCipher 4: 16-byte IV + 64-byte HMAC-SHA512 at the end of each page


@pytest.fixture
def memoised_argon2(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Caches key derivations; returns a list whose length counts real derivations."""
    real = kdf.derive_key
    cache: dict[tuple[str, kdf.KdfParams], bytes] = {}
    calls: list[int] = []

    def derive(passphrase: str, params: kdf.KdfParams) -> bytearray:
        if (passphrase, params) not in cache:
            calls.append(1)
            cache[(passphrase, params)] = bytes(real(passphrase, params))
        return bytearray(cache[(passphrase, params)])

    monkeypatch.setattr(kdf, "derive_key", derive)
    return calls


@pytest.fixture
def filled_vault(vault_path: Path) -> tuple[Path, list[tuple[str, str]]]:
    with Vault.open(vault_path, PASSPHRASE) as vault, vault.transaction() as conn:
        for index in range(40):
            conn.execute(
                "INSERT INTO meta(key, value) VALUES (?, ?)",
                (f"row-{index:03d}", f"value {index} " * 30),
            )
    with Vault.open(vault_path, PASSPHRASE, read_only=True) as vault, vault.reading() as conn:
        rows = conn.execute("SELECT key, value FROM meta ORDER BY key").fetchall()
    return vault_path, rows


@pytest.fixture(autouse=True)
def _no_pause_between_page_reads(monkeypatch: pytest.MonkeyPatch) -> None:
    """A damaged page is read again before it is reported (a checkpoint beside the app can
    tear a read); here every read still happens, without the pauses meant for a writer."""
    monkeypatch.setattr(checks, "RETRY_PAUSES", (0.0, 0.0, 0.0))


def _flip_positions(size: int, count: int) -> list[int]:
    pages = size // PAGE
    last = (pages - 1) * PAGE
    chosen = [0, 5, 15, 16, 17, 100, 1000, PAGE - RESERVED - 1, PAGE - RESERVED, PAGE - 70]
    chosen += [PAGE - 1, PAGE, PAGE + 16, last, last + 1, last + 2000, size - RESERVED, size - 1]
    rng = random.Random(20250314)
    while len(chosen) < count:
        chosen.append(rng.randrange(size))
    return chosen


def _detected(path: Path, expected: list[tuple[str, str]]) -> bool:
    """Opens, reads and checks the vault; True when the damage was noticed cleanly."""
    try:
        with Vault.open(path, PASSPHRASE) as vault:
            with vault.reading() as conn:
                rows = conn.execute("SELECT key, value FROM meta ORDER BY key").fetchall()
            assert rows == expected, "damaged vault returned wrong data"
            return not all(result.ok for result in vault.check())
    except ConfidantError:
        return True


def test_every_flip_in_the_database_is_detected(
    filled_vault: tuple[Path, list[tuple[str, str]]], memoised_argon2: list[int]
) -> None:
    path, expected = filled_vault
    original = path.read_bytes()
    assert len(original) % PAGE == 0 and len(original) >= 3 * PAGE
    rng = random.Random(7)
    missed = []
    positions = _flip_positions(len(original), 210)
    for offset in positions:
        damaged = bytearray(original)
        damaged[offset] ^= 1 << rng.randrange(8)
        path.write_bytes(damaged)
        if not _detected(path, expected):
            missed.append(offset)
    path.write_bytes(original)
    assert not missed, f"undetected flips at offsets {missed}"
    assert len(positions) >= 200
    assert len(memoised_argon2) == 1
    assert not _detected(path, expected)  # the undamaged vault passes: the test can fail


def test_every_bit_of_the_header_is_refused_before_argon2(
    vault_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def forbidden(*args: object, **kwargs: object) -> bytes:
        pytest.fail("Argon2 ran on a damaged header")

    head = header_path(vault_path)
    original = head.read_bytes()
    monkeypatch.setattr(kdf, "hash_secret_raw", forbidden)
    for offset in range(len(original)):
        for bit in range(8):
            damaged = bytearray(original)
            damaged[offset] ^= 1 << bit
            head.write_bytes(damaged)
            with pytest.raises(ConfidantError):
                Vault.open(vault_path, PASSPHRASE)
    assert len(original) * 8 > 3000


def _tamper(head: Path, section: str, field: str, bit: int) -> None:
    """Flips one bit of a field and recomputes the checksum, as a deliberate tamperer would."""
    document = json.loads(head.read_text())
    target = document if section == "" else document[section]
    if field == "kcv":
        raw = bytearray(bytes.fromhex(target[field]))
    else:
        raw = bytearray(base64.b64decode(target[field]))
    raw[bit // 8] ^= 1 << (bit % 8)
    target[field] = raw.hex() if field == "kcv" else base64.b64encode(raw).decode()
    document["checksum"] = header.checksum(document)
    head.write_text(json.dumps(document))


@pytest.mark.parametrize(
    ("section", "field", "bits", "error"),
    [
        ("kdf", "salt", (0, 37, 127), WrongPassphrase),
        ("", "kcv", (0, 64, 127), WrongPassphrase),
        ("wrapped_key", "nonce", (0, 50, 95), DamagedHeader),
        ("wrapped_key", "ciphertext", (0, 100, 255, 256, 383), DamagedHeader),
    ],
)
def test_tampered_header_with_a_fixed_checksum_is_still_refused(
    vault_path: Path,
    memoised_argon2: list[int],
    section: str,
    field: str,
    bits: tuple[int, ...],
    error: type[ConfidantError],
) -> None:
    head = header_path(vault_path)
    original = head.read_bytes()
    for bit in bits:
        _tamper(head, section, field, bit)
        with pytest.raises(error):
            Vault.open(vault_path, PASSPHRASE)
        head.write_bytes(original)
    Vault.open(vault_path, PASSPHRASE).close()
