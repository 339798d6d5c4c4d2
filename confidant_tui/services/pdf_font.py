"""Provides the font of every PDF Confidant writes (referral letters, the yearly report).

Source Sans Pro (SIL Open Font License, from the `font-source-sans-pro` package) is embedded
in the file, so real names come out right: "Şükrü Çelik", "Zoë", "Ilse van 't Hek",
"Œuvre", "ĳ". fpdf2's built-in Helvetica knows only Latin-1 and turned "ş" into "s".
Nothing is fetched: the font files come with the installed package.

`printable` prepares text for the font: control characters (an escape sequence pasted
into a name) are dropped, so nothing typed can steer the layout, and a character the font
has no glyph for becomes its base letter, else "?" (never an empty box or a silent gap).
"""

from __future__ import annotations

import unicodedata
from functools import cache
from importlib import resources
from pathlib import Path

from fpdf import FPDF
from fpdf.fonts import TTFFont

FAMILY = "SourceSansPro"
"""The font family name to pass to `FPDF.set_font` after `use_font`."""

_FILES = {
    "": "SourceSansPro-Regular.ttf",
    "B": "SourceSansPro-Bold.ttf",
    "I": "SourceSansPro-It.ttf",
}
"""The styles Confidant uses; a glyph the italic lacks (ĳ) is taken from the others."""


def _font_file(style: str) -> Path:
    folder = resources.files("font_source_sans_pro") / "files"
    return Path(str(folder / _FILES[style]))


def use_font(pdf: FPDF) -> None:
    """Adds the embedded font (regular, bold, italic) to `pdf`; call `set_font(FAMILY, ...)`
    afterwards."""
    for style in _FILES:
        pdf.add_font(FAMILY, style, _font_file(style))
    pdf.set_fallback_fonts([FAMILY], exact_match=False)


@cache
def _covered() -> frozenset[int]:
    """The code points of the regular face (the bold face has the same)."""
    pdf = FPDF()
    pdf.add_font(FAMILY, "", _font_file(""))
    font = pdf.fonts[FAMILY.lower()]
    assert isinstance(font, TTFFont)
    return frozenset(font.cmap)


def printable(text: str, *, lines: bool = False) -> str:
    """`text` as the embedded font can print it.

    Args:
        text: any text (a name, a label, a whole letter).
        lines: keep line breaks (a letter); otherwise a line break becomes a space (a label).

    Returns:
        The text in NFC form without control or format characters (a tab becomes a space);
        a character without a glyph becomes its base letter(s) if the font has those, else
        "?".
    """
    covered = _covered()
    out: list[str] = []
    for char in unicodedata.normalize("NFC", text.replace("\r\n", "\n")):
        if char == "\n":
            out.append("\n" if lines else " ")
            continue
        if char == "\t":
            out.append(" ")
            continue
        if unicodedata.category(char)[0] == "C":
            continue
        if ord(char) in covered:
            out.append(char)
            continue
        base = "".join(
            part
            for part in unicodedata.normalize("NFKD", char)
            if ord(part) in covered and not unicodedata.combining(part)
        )
        out.append(base or "?")
    return "".join(out)
