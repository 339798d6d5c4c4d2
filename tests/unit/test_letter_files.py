"""Referral letters to files: the PDF's extracted text is the preview's (real names intact,
the embedded font, never Helvetica), Markdown shows the text literally with its line
breaks, plain text is the text; every file obeys the output-path rules."""

from __future__ import annotations

import datetime as dt
from html.parser import HTMLParser
from pathlib import Path

import pypdf
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from confidant_tui.domain.referral_letters import (
    Letter,
    LetterRequest,
    draft_letter,
    fact_choices,
)
from confidant_tui.errors import InvalidInput
from confidant_tui.services.exports import OutputExists, OutputRefused
from confidant_tui.services.letter_files import (
    discard_letter_file,
    letter_bytes,
    letter_format,
    markdown_text,
    write_letter,
)
from confidant_tui.services.referrals import load_letter_book

NAMES = ("Şükrü Çelik", "Zoë", "Ilse van 't Hek", "Œuvre")


def _letter(destination: str = "occupational_health", *, summary: str | None = None) -> Letter:
    book = load_letter_book()
    values: dict[str, str | None] = {
        "name": "Şükrü Çelik",
        "contact": "zoe@example.org (Zoë)",
        "role": "Medewerker",
        "work_situation": "Werkt bij *Œuvre* met Ilse van 't Hek; # geen kop, <b>geen html</b>",
        "categories": None,
        "period": None,
        "summary": summary,
        "routes": None,
    }
    request = LetterRequest(
        destination=destination,
        destination_name="Bedrijfsarts",
        organisation="Stichting Vĳfhuizen",
        language="nl",
        date=dt.date(2026, 5, 4),
        question="Kunt u Şükrü op het spreekuur ontvangen?\n- ook op 1. maandag",
        include=tuple(
            c.key for c in fact_choices(book, destination, values, set(values)) if c.allowed
        ),
        blanks={"recipient": "Bedrijfsarts [Arbo Unie]", "signature": "Zoë Jansen"},
    )
    return draft_letter(book, request, values, set(values))


def _flat(text: str) -> str:
    return " ".join(text.split())


def _pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(path).pages)


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: object) -> None:
        if tag == "p":  # a <br /> is followed by the line break itself
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def _rendered(markdown: str) -> tuple[str, str]:
    """The HTML Markdown makes of `markdown` (CommonMark with tables and strikethrough, as
    common viewers have), and the text a reader sees in it."""
    html = MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(markdown)
    parser = _Text()
    parser.feed(html)
    return html, "".join(parser.parts)


def test_pdf_text_is_the_preview_with_the_names_intact(tmp_path: Path) -> None:
    letter = _letter()
    path = write_letter(letter, tmp_path / "brief.pdf", vault_path=None)
    extracted = _flat(_pdf_text(path))
    assert extracted == _flat(letter.text)
    for name in NAMES:
        assert name in extracted
    reader = pypdf.PdfReader(path)
    page = reader.pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)
    fonts = {str(font["/BaseFont"]) for font in page["/Resources"]["/Font"].values()}
    assert fonts and all("SourceSansPro" in name for name in fonts), fonts
    assert path.stat().st_mode & 0o077 == 0


def test_a_long_letter_wraps_onto_more_pages_and_loses_nothing(tmp_path: Path) -> None:
    summary = " ".join(
        f"Zin {n} over Şükrü en Œuvre, zonder iets weg te laten." for n in range(400)
    )
    letter = _letter("other_adviser", summary=summary)
    assert "summary" in letter.facts
    path = write_letter(letter, tmp_path / "lang.PDF", vault_path=None)
    assert len(pypdf.PdfReader(path).pages) >= 3
    assert _flat(_pdf_text(path)) == _flat(letter.text)


def test_markdown_shows_the_letter_literally_with_its_line_breaks(tmp_path: Path) -> None:
    letter = _letter()
    path = write_letter(letter, tmp_path / "brief.md", vault_path=None)
    markdown = path.read_text(encoding="utf-8")
    html, seen = _rendered(markdown)
    assert _flat(seen) == _flat(letter.text)
    for tag in ("<h1", "<em>", "<strong>", "<ul", "<ol", "<a ", "<b>", "<code>"):
        assert tag not in html, tag
    first_lines = letter.text.split("\n")[:3]
    assert "<br />\n".join(first_lines) + "</p>" in html
    assert seen.strip().split("\n")[:3] == first_lines


def test_markdown_escapes_what_would_become_markup() -> None:
    text = "*Zoë*\n# kop\n1. lijst\n- punt\n    code\n&amp; <i>x</i> [a](b) `c` ~~d~~ a|b\n==="
    html, seen = _rendered(markdown_text(text))
    assert seen.strip().replace("\u00a0", " ") == text
    assert "<em>" not in html and "<h1>" not in html and "<pre>" not in html


MARKUP = st.text(
    alphabet=st.sampled_from(list("aZë1 9.)\n\t\\`*_[]<>|~#+=-!&;:'\"(){}")), max_size=80
)


@settings(max_examples=300, deadline=None)
@given(MARKUP)
def test_markdown_renders_any_text_as_itself(text: str) -> None:
    _html, seen = _rendered(markdown_text(text))
    assert _flat(seen) == _flat(text)


def test_plain_text_is_the_letter_as_it_is(tmp_path: Path) -> None:
    letter = _letter()
    path = write_letter(letter, tmp_path / "brief.txt", vault_path=None)
    assert path.read_bytes() == letter.text.encode("utf-8")
    assert letter_bytes(letter, "txt").decode("utf-8") == letter.text


def test_the_format_comes_from_the_name_and_other_names_are_refused(tmp_path: Path) -> None:
    assert [letter_format(Path(name)) for name in ("a.md", "b.TXT", "c.Pdf")] == [
        "md",
        "txt",
        "pdf",
    ]
    for name in ("brief.docx", "brief", "brief.pdf.bak"):
        with pytest.raises(InvalidInput, match=r"\.md.*\.txt.*\.pdf"):
            write_letter(_letter(), tmp_path / name, vault_path=None)
        assert not (tmp_path / name).exists()


def test_letter_files_obey_the_output_path_rules(tmp_path: Path) -> None:
    letter = _letter()
    existing = tmp_path / "brief.md"
    existing.write_text("earlier", encoding="utf-8")
    with pytest.raises(OutputExists):
        write_letter(letter, existing, vault_path=None)
    assert existing.read_text(encoding="utf-8") == "earlier"
    write_letter(letter, existing, vault_path=None, replace=True)
    assert existing.read_text(encoding="utf-8") != "earlier"
    vault = tmp_path / "vault.pdf"
    vault.write_bytes(b"not a letter")
    with pytest.raises(OutputRefused):
        write_letter(letter, tmp_path / "VAULT.pdf", vault_path=vault, replace=True)
    assert vault.read_bytes() == b"not a letter"
    folder = tmp_path / "folder.txt"
    folder.mkdir()
    with pytest.raises(OutputRefused):
        write_letter(letter, folder, vault_path=None, replace=True)
    discard_letter_file(existing)
    discard_letter_file(existing)
    assert not existing.exists()
