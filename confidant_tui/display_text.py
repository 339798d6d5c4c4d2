"""Provides `neutralise` and `visible`: text made safe to show on a terminal, as typed.

Every value that Confidant repeats to the adviser (a path, an organisation's name, a note,
an argument of the command line) may hold control characters: an escape sequence could
recolour the terminal, retitle it or, through OSC 52, fill the clipboard. These functions
replace each control character by a visible stand-in: C0 controls by their Unicode control
pictures (ESC becomes "␛", BEL "␇"), DEL by "␡", C1 controls, the bidirectional overrides
(which can reorder what the adviser sees) and lone surrogates (which cannot even be written
to a UTF-8 terminal) by "�". They are pure Python, so the command
line, the error messages and the UI (`ui.presenters.literal`) all use this one module.

Only what is shown is substituted: storage keeps the text exactly as given.
"""

from __future__ import annotations

import re

_REPLACEMENT = "\ufffd"
_BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
_BIDI_CLASS = "".join(f"\\u{ord(char):04x}" for char in sorted(_BIDI_CONTROLS))
_UNSAFE = re.compile(f"[\\x00-\\x1f\\x7f-\\x9f\\ud800-\\udfff{_BIDI_CLASS}]")
"""Every character `_stand_in` replaces (found in C: a long note is not walked in Python)."""
_UNSAFE_KEEPING_LINES = re.compile(
    f"[\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f\\ud800-\\udfff{_BIDI_CLASS}]"
)
"""The same, newlines and tabs left out (kept unless `single_line`)."""


def _stand_in(char: str, single_line: bool) -> str:
    code = ord(char)
    if char == "\n":
        return "\u2424" if single_line else char
    if char == "\t":
        return " " if single_line else char
    if code < 0x20:
        return chr(0x2400 + code)
    if code == 0x7F:
        return "\u2421"
    if 0x80 <= code <= 0x9F or 0xD800 <= code <= 0xDFFF or char in _BIDI_CONTROLS:
        return _REPLACEMENT
    return char


def neutralise(value: str, *, single_line: bool = False) -> str:
    """Returns `value` with every control character replaced by a visible stand-in.

    Args:
        value: text from the vault, a file or the command line.
        single_line: also replace newlines ("␤") and tabs (a space), for table cells.
    """
    if value.isprintable():
        return value
    unsafe = _UNSAFE if single_line else _UNSAFE_KEEPING_LINES
    return unsafe.sub(lambda found: _stand_in(found.group(), single_line), value)


def visible(value: object) -> str:
    """A value to repeat inside a message (a path, a name, an argument), on one line.

    Use it wherever a message quotes something the adviser or a file gave:
    `_("There is no vault at {path}.").format(path=visible(path))`.

    Args:
        value: anything; `str()` of it is shown, every control character (newlines too)
            as a visible stand-in.
    """
    text = value if isinstance(value, str) else str(value)
    return neutralise(text, single_line=True)
