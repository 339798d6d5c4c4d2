"""Provides referral letters as use cases: what may go to a destination, the letter, and
recording it on the case (see `domain.referral_letters` for the rules)."""

from __future__ import annotations

import tomllib
from functools import cache

from confidant_tui.domain.referral_letters import LetterBook, parse_letter_book
from confidant_tui.resources import data_file


@cache
def load_letter_book() -> LetterBook:
    """The shipped letter kinds (`data/referral_letters.toml`), read once."""
    with data_file("referral_letters.toml").open("rb") as handle:
        return parse_letter_book(tomllib.load(handle))
