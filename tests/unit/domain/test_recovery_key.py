"""The recovery key's written form: 8 groups of 4 Crockford base32 characters with a checksum
that catches every single typo, read back forgivingly (case, dashes, spaces, I/L/O)."""

from __future__ import annotations

import random
import re

import pytest

from confidant_tui.domain.recovery_key import (
    ALPHABET,
    format_recovery_key,
    new_recovery_key,
    parse_recovery_key,
)
from confidant_tui.errors import ExitCode, InvalidInput

WRITTEN = re.compile(r"[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){7}")
_RANDOM = random.Random(15)  # the same keys in every test worker
KEYS = [bytes(16), bytes([255] * 16), bytes(range(16)), *(_RANDOM.randbytes(16) for _ in range(20))]


@pytest.mark.parametrize("key", KEYS)
def test_format_and_parse_round_trip(key: bytes) -> None:
    written = format_recovery_key(key)
    assert WRITTEN.fullmatch(written), written
    assert parse_recovery_key(written) == key


def test_new_keys_are_128_random_bits() -> None:
    keys = {new_recovery_key() for _ in range(100)}
    assert len(keys) == 100
    assert all(len(key) == 16 for key in keys)


def test_format_refuses_a_key_of_the_wrong_length() -> None:
    with pytest.raises(ValueError):
        format_recovery_key(bytes(15))


@pytest.mark.parametrize("key", KEYS[:6])
def test_every_single_character_substitution_is_caught(key: bytes) -> None:
    written = format_recovery_key(key)
    positions = [index for index, char in enumerate(written) if char != "-"]
    assert len(positions) == 32
    tried = 0
    for index in positions:
        for replacement in ALPHABET:
            if replacement == written[index]:
                continue
            typo = written[:index] + replacement + written[index + 1 :]
            with pytest.raises(InvalidInput) as refused:
                parse_recovery_key(typo)
            assert refused.value.exit_code == ExitCode.INVALID_INPUT
            tried += 1
    assert tried == 32 * 31


def test_two_swapped_neighbours_are_caught() -> None:
    written = format_recovery_key(bytes(range(16)))
    for index in range(len(written) - 1):
        first, second = written[index], written[index + 1]
        if "-" in (first, second) or first == second:
            continue
        swapped = written[:index] + second + first + written[index + 2 :]
        with pytest.raises(InvalidInput):
            parse_recovery_key(swapped)


def test_aliases_lower_case_spaces_and_missing_dashes_are_accepted() -> None:
    key = next(
        candidate
        for candidate in (bytes([n] * 16) for n in range(256))
        if {"0", "1"} <= set(format_recovery_key(candidate))
    )
    written = format_recovery_key(key)
    variants = [
        written.lower(),
        written.replace("-", ""),
        written.replace("-", " "),
        "  " + written.replace("-", " - ") + "\n",
        written.replace("0", "O").replace("1", "I"),
        written.replace("0", "o").replace("1", "l"),
        written.replace("1", "L"),
        "\t".join(written.split("-")),
    ]
    for variant in variants:
        assert parse_recovery_key(variant) == key, variant


@pytest.mark.parametrize(
    "text",
    [
        "",
        "not a key",
        "AAAA-AAAA",
        # 31 and 33 characters
        "A" * 31,
        "A" * 33,
        # U is not in Crockford's alphabet (it is no alias either)
        "UUUU-UUUU-UUUU-UUUU-UUUU-UUUU-UUUU-UUUU",
        # punctuation and non-ASCII look-alikes
        "AAAA.AAAA.AAAA.AAAA.AAAA.AAAA.AAAA.AAAA",
        "АААА-АААА-АААА-АААА-АААА-АААА-АААА-АААА",  # Cyrillic A
    ],
)
def test_text_that_is_no_key_is_refused_with_the_typo_message(text: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        parse_recovery_key(text)
    assert "herstelsleutel" in refused.value.message
    assert "typefout" in refused.value.message
