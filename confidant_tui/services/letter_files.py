"""Provides `write_letter`: a referral letter to a file the adviser names (Markdown, plain text
or PDF, chosen by the name's extension).

Every file goes through `services.exports.write_export` (never a vault file, never a device,
an existing file only when the adviser agreed, atomic, private to the user). The file holds
exactly the letter of the preview (`Letter.text`):

- `.txt`: the text as it is, UTF-8.
- `.md`: the text with Markdown's special characters escaped, so a name like "*Zoë*" or a
  line starting with "#" comes out literally, and with its line breaks kept (a backslash at
  the end of a line is Markdown's hard line break).
- `.pdf`: A4, the embedded Unicode font of `services.pdf_font` (never the built-in
  Helvetica), the text wrapped between the margins, the subject line in bold.

The file is not encrypted: the caller says so before writing (the screen and the command
line both do).
"""

from __future__ import annotations

import re
from pathlib import Path

from confidant_tui.display_text import visible
from confidant_tui.domain.referral_letters import Letter
from confidant_tui.errors import InvalidInput
from confidant_tui.i18n import _
from confidant_tui.services.exports import write_export

LETTER_FORMATS = ("md", "txt", "pdf")
"""The file formats of a letter, by the file name's extension."""

SUBJECT_WORDS = ("Betreft:", "Subject:")
"""How the subject line of a letter starts (Dutch, English): printed in bold in a PDF."""

MARGIN_X = 25.0
MARGIN_TOP = 22.0
MARGIN_BOTTOM = 20.0
FONT_SIZE = 11.0
LINE_H = 5.6
PARAGRAPH_GAP = 3.2

_INLINE = re.compile(r"([\\`*_\[\]<>|~])")
"""Characters that mean something anywhere in a Markdown line."""

_ENTITY = re.compile(r"&(?=#?[0-9A-Za-z]+;)")
"""An ampersand that would start an entity such as `&amp;`."""

_BLOCK_START = re.compile(r"([#>+=-])|(\d{1,9})([.)])")
"""What turns a line into a heading, quote, list or underline when it starts it."""


def letter_format(path: Path) -> str:
    """The format of a letter file by its extension (`md`, `txt` or `pdf`, any letter case).

    Raises:
        InvalidInput: another extension, or none; the message names the three.
    """
    form = Path(path).suffix.lower().lstrip(".")
    if form not in LETTER_FORMATS:
        raise InvalidInput(
            _(
                "{path}: a letter is written as Markdown (.md), plain text (.txt) or PDF "
                "(.pdf); end the file name with one of these."
            ).format(path=visible(path))
        )
    return form


def markdown_line(line: str) -> str:
    """One line of text as Markdown that shows it literally (see `markdown_text`)."""
    body = line.lstrip(" \t")
    indent = "\u00a0" * (len(line) - len(body))  # four spaces would make a code block
    body = _ENTITY.sub("\\\\&", _INLINE.sub(r"\\\1", body))
    start = _BLOCK_START.match(body)
    if start and start.group(1):
        body = "\\" + body
    elif start:
        body = start.group(2) + "\\" + body[start.end(2) :]
    return indent + body


def markdown_text(text: str) -> str:
    """`text` as Markdown that renders as exactly this text.

    Every character Markdown reads as markup is escaped with a backslash (`*`, `_`, `[`,
    `<`, a `#` or `-` or `1.` that starts a line, an `&` that would start an entity);
    leading spaces become no-break spaces (four would make a code block); a line followed
    by another line of the same paragraph ends in a backslash, Markdown's hard line break,
    so the letter's lines stay lines.
    """
    lines = text.replace("\r\n", "\n").split("\n")
    out: list[str] = []
    for index, line in enumerate(lines):
        if not line.strip():
            out.append("")
            continue
        shown = markdown_line(line.rstrip())
        following = lines[index + 1] if index + 1 < len(lines) else ""
        out.append(shown + "\\" if following.strip() else shown)
    return "\n".join(out)


def _is_subject(line: str) -> bool:
    return line.startswith(SUBJECT_WORDS)


def letter_pdf_bytes(letter: Letter) -> bytes:
    """The letter as an A4 PDF with the embedded font (see the module text)."""
    # fpdf2 is imported here, not above: every `confidant` command loads this module's
    # command, and only a PDF needs it.
    from fpdf import FPDF

    from confidant_tui.services.pdf_font import FAMILY, printable, use_font

    pdf = FPDF(orientation="P", unit="mm", format="A4")
    use_font(pdf)
    pdf.set_margins(MARGIN_X, MARGIN_TOP, MARGIN_X)
    pdf.set_auto_page_break(auto=True, margin=MARGIN_BOTTOM)
    pdf.set_creator("Confidant")
    pdf.set_producer("Confidant")
    pdf.set_lang(letter.language)
    pdf.add_page()
    pdf.set_text_color(0, 0, 0)
    for line in printable(letter.text, lines=True).split("\n"):
        if not line.strip():
            pdf.ln(PARAGRAPH_GAP)
            continue
        pdf.set_font(FAMILY, "B" if _is_subject(line) else "", FONT_SIZE)
        pdf.multi_cell(0, LINE_H, line.rstrip(), align="L", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def letter_bytes(letter: Letter, form: str) -> bytes:
    """The file's content for a letter in `form` (`md`, `txt` or `pdf`)."""
    if form == "pdf":
        return letter_pdf_bytes(letter)
    if form == "md":
        return (markdown_text(letter.text).rstrip("\n") + "\n").encode("utf-8")
    if form == "txt":
        return letter.text.encode("utf-8")
    raise InvalidInput(_("A letter is written as Markdown (.md), plain text (.txt) or PDF (.pdf)."))


def write_letter(
    letter: Letter, path: Path, *, vault_path: Path | None, replace: bool = False
) -> Path:
    """Writes `letter` to `path` in the format its extension names.

    Args:
        letter: the letter as the preview shows it.
        path: the file the adviser named (`.md`, `.txt` or `.pdf`).
        vault_path: the open vault's database file (never written over).
        replace: an existing ordinary file may be replaced (`--force`, or the adviser's yes).

    Returns:
        The absolute path written.

    Raises:
        InvalidInput: an extension other than the three; for the output-path rules and a
            refused write see `services.exports.write_export` (OutputRefused,
            OutputExists, StorageError).
    """
    form = letter_format(path)
    return write_export(path, letter_bytes(letter, form), vault_path=vault_path, replace=replace)


def discard_letter_file(path: Path) -> None:
    """Removes a letter file just written (its recording failed); a file already gone is
    fine."""
    Path(path).unlink(missing_ok=True)
