"""The passphrase policy: long enough, not common, not a simple pattern; reasons in Dutch."""

from __future__ import annotations

import pytest

from confidant_tui.domain.passphrase import MIN_LENGTH, check_passphrase
from confidant_tui.errors import ExitCode, WeakPassphrase
from confidant_tui.i18n import set_language


@pytest.mark.parametrize(
    "passphrase",
    [
        "correct horse battery staple",
        "kaas fiets regenjas molen zeven",
        "Vijf-onverwachte-woorden-hier!",
        "  spaties tellen mee bij deze zin  ",
    ],
)
def test_good_passphrases_pass(passphrase: str) -> None:
    check_passphrase(passphrase)


def test_too_short_is_refused_with_the_minimum() -> None:
    with pytest.raises(WeakPassphrase) as caught:
        check_passphrase("Kort!1x")
    assert "te kort" in caught.value.message
    assert str(MIN_LENGTH) in caught.value.message
    assert caught.value.exit_code == ExitCode.INVALID_INPUT


def test_exactly_the_minimum_length_is_judged_on_guessability() -> None:
    check_passphrase("q7$Lz!m2@Vr9")  # 12 random characters
    with pytest.raises(WeakPassphrase):
        check_passphrase("a" * MIN_LENGTH)


@pytest.mark.parametrize(
    "passphrase",
    ["passwordpassword", "123456789012", "qwertyuiopasdf", "aaaaaaaaaaaaaaaa", "abcdefghijklmn"],
)
def test_common_or_patterned_is_refused(passphrase: str) -> None:
    with pytest.raises(WeakPassphrase) as caught:
        check_passphrase(passphrase)
    assert "te makkelijk te raden" in caught.value.message


def test_only_spaces_is_refused() -> None:
    with pytest.raises(WeakPassphrase) as caught:
        check_passphrase(" " * 20)
    assert "spaties" in caught.value.message


def test_very_long_passphrase_is_checked_quickly_and_accepted() -> None:
    check_passphrase("lange zin met veel woorden " * 200)


def test_reason_in_english() -> None:
    set_language("en")
    with pytest.raises(WeakPassphrase) as caught:
        check_passphrase("short")
    assert caught.value.message.startswith("The passphrase is too short")
