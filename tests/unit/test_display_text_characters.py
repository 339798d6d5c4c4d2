"""`neutralise` finds the characters to replace with a regular expression (a long note is
not walked character by character in Python); it must replace exactly the characters the
per-character rule (`_stand_in`) replaces, and nothing else."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from confidant_tui.display_text import _stand_in, neutralise


def by_character(value: str, single_line: bool) -> str:
    """The rule applied to every character, one by one."""
    return "".join(_stand_in(char, single_line) for char in value)


def test_every_code_point_is_treated_as_the_rule_says() -> None:
    for code in range(0x110000):
        char = chr(code)
        for single_line in (False, True):
            assert neutralise(char, single_line=single_line) == by_character(char, single_line), (
                hex(code),
                single_line,
            )


ODD = st.sampled_from(
    "\x00\x07\t\n\r\x1b\x7f\x85\x9b\xa0\xad\u061c\u200d\u200e\u2028\u202e\u2069\ufeff\ud800"
)


@given(st.lists(st.one_of(st.characters(), ODD), max_size=60).map("".join), st.booleans())
def test_mixed_text_is_treated_as_the_rule_says(value: str, single_line: bool) -> None:
    assert neutralise(value, single_line=single_line) == by_character(value, single_line)


def test_a_multi_line_note_keeps_its_lines() -> None:
    note = "Gesprek met de melder.\n\tVervolg: over twee weken.\n"
    assert neutralise(note) == note
    assert (
        neutralise(note, single_line=True) == "Gesprek met de melder.␤ Vervolg: over twee weken.␤"
    )
