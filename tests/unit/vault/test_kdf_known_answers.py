"""Known answers for Argon2id key derivation, the key check value and AES-GCM unwrapping.

The expected values were computed once with argon2-cffi and `cryptography` directly (not
through Confidant) and are hard-coded: a change to the KDF, the KCV or the wrap breaks every
existing vault, and must break these tests first.
"""

from __future__ import annotations

import pytest

from confidant_tui.errors import DamagedHeader, WrongPassphrase
from confidant_tui.vault import header, kdf

PASSPHRASE = "correct horse battery staple"
SALT = bytes(range(16))
PARAMS = kdf.KdfParams(memory_kib=65536, time_cost=3, parallelism=4, salt=SALT)
DATA_KEY = bytes(range(32, 64))
NONCE = bytes(range(100, 112))
VAULT_ID = "0123456789abcdef0123456789abcdef"

EXPECTED_KEK = "853b272a44db1421c02962669a55eb0994f3cab385ed1c4c79253eee19bab49e"
EXPECTED_KCV = "e603cb184878cdebb30a55e2b3aa24cc"
EXPECTED_CIPHERTEXT = (
    "fa662bd643c58d43d71afeb5f89e14ee120573c06b50090dcdadcc718141bf11"
    "62d3d81592194e4349741facd0b12e0e"
)


def _fixed_header(kcv: str = EXPECTED_KCV, ciphertext: str = EXPECTED_CIPHERTEXT) -> header.Header:
    return header.Header(VAULT_ID, PARAMS, bytes.fromhex(kcv), NONCE, bytes.fromhex(ciphertext))


def test_argon2id_derives_the_known_key() -> None:
    assert kdf.derive_key(PASSPHRASE, PARAMS).hex() == EXPECTED_KEK


def test_key_check_value_is_the_known_hmac() -> None:
    assert header.key_check_value(bytes.fromhex(EXPECTED_KEK)).hex() == EXPECTED_KCV


def test_unwrap_returns_the_known_data_key() -> None:
    assert bytes(header.unwrap(_fixed_header(), PASSPHRASE)) == DATA_KEY


def test_unwrap_with_a_wrong_passphrase_fails_on_the_kcv() -> None:
    with pytest.raises(WrongPassphrase):
        header.unwrap(_fixed_header(), PASSPHRASE + "!")


def test_unwrap_of_a_tampered_ciphertext_reports_a_damaged_header() -> None:
    tampered = "00" + EXPECTED_CIPHERTEXT[2:]
    with pytest.raises(DamagedHeader):
        header.unwrap(_fixed_header(ciphertext=tampered), PASSPHRASE)


def test_wrap_round_trips_and_uses_a_fresh_nonce() -> None:
    first = header.wrap(DATA_KEY, PASSPHRASE, PARAMS, VAULT_ID)
    second = header.wrap(DATA_KEY, PASSPHRASE, PARAMS, VAULT_ID)
    assert first.kcv.hex() == EXPECTED_KCV
    assert first.nonce != second.nonce
    assert bytes(header.unwrap(first, PASSPHRASE)) == DATA_KEY


def test_passphrase_is_nfkc_normalised_before_hashing() -> None:
    # The "ﬁ" ligature and a composed "é" versus "fi" and "e" + combining accent.
    composed = kdf.derive_key("\ufb01ve caf\u00e9 words here", PARAMS)
    decomposed = kdf.derive_key("five cafe\u0301 words here", PARAMS)
    assert composed == decomposed


def test_header_json_round_trips_through_parse() -> None:
    original = _fixed_header()
    parsed = header.parse(original.to_json().encode())
    assert parsed == original


def test_floor_is_rfc_9106_low_memory_and_salts_differ() -> None:
    first, second = kdf.floor_params(), kdf.floor_params()
    assert (first.memory_kib, first.time_cost, first.parallelism) == (64 * 1024, 3, 4)
    assert len(first.salt) == 16
    assert first.salt != second.salt
    assert first.with_new_salt().salt != first.salt


def test_calibration_never_goes_below_the_floor(monkeypatch: pytest.MonkeyPatch) -> None:
    # A machine so slow that the floor already takes 10 s: the floor is still used.
    clock = iter([0.0, 10.0])
    monkeypatch.setattr(kdf.time, "perf_counter", lambda: next(clock))
    monkeypatch.setattr(kdf, "derive_key", lambda *_: bytearray(32))
    params = kdf.calibrate()
    assert params.memory_kib == kdf.FLOOR_MEMORY_KIB
    assert params.time_cost >= kdf.FLOOR_TIME_COST


def test_calibration_scales_memory_but_stays_capped(monkeypatch: pytest.MonkeyPatch) -> None:
    clock = iter([0.0, 0.001])
    monkeypatch.setattr(kdf.time, "perf_counter", lambda: next(clock))
    monkeypatch.setattr(kdf, "derive_key", lambda *_: bytearray(32))
    params = kdf.calibrate()
    assert params.memory_kib == kdf.CALIBRATION_MAX_MEMORY_KIB
    kdf.check_params(kdf.KDF_NAME, 19, params)
