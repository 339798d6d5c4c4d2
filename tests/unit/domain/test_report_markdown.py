"""The Markdown report reads right both raw (in an editor or e-mail) and rendered (CommonMark
with tables, as on GitHub or GitLab), and names an unnamed organisation in its language."""

from __future__ import annotations

import datetime as dt
from html.parser import HTMLParser

import pytest
from markdown_it import MarkdownIt

from confidant_tui import i18n
from confidant_tui.domain.report import BREAKDOWNS, ReportFigures
from confidant_tui.domain.report_formats import (
    DEFAULT_ORGANISATION,
    DEFAULT_ORGANISATION_NAMES,
    render,
    report_document,
)
from confidant_tui.domain.suppression import suppress


def _markdown(organisation: str | None = "Gemeente Voorbeeld") -> str:
    cells = {name: {} for name in BREAKDOWNS}
    cells.update(
        by_role={"employee": 9, "volunteer": 2},
        by_level={"board": 11},
        power_imbalance={"true": 6, "false": 5},
        by_category={"bullying": 11},
        by_relation={"manager": 11},
        by_route={"advice": 3},
    )
    current = suppress(ReportFigures(2025, 11, 4, 30, 1590, cells), 5).published
    previous = suppress(ReportFigures(2024, 0, 2, 0, 0), 5).published
    document = report_document(current, organisation, previous, due=dt.date(2026, 3, 1))
    return render(document, "md")


class _Cells(HTMLParser):
    """The text of every table cell and paragraph of rendered HTML, and its tags."""

    def __init__(self) -> None:
        super().__init__()
        self.cells: list[str] = []
        self.paragraphs: list[str] = []
        self.tags: set[str] = set()
        self._into: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: object) -> None:
        self.tags.add(tag)
        if tag in ("td", "th"):
            self._into = self.cells
            self.cells.append("")
        elif tag == "p":
            self._into = self.paragraphs
            self.paragraphs.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th", "p"):
            self._into = None

    def handle_data(self, data: str) -> None:
        if self._into is not None:
            self._into[-1] += data


def _rendered(markdown: str) -> _Cells:
    parser = _Cells()
    parser.feed(MarkdownIt("commonmark").enable("table").render(markdown))
    return parser


def test_a_small_count_reads_less_than_five_raw_and_rendered() -> None:
    text = _markdown()
    assert "\\<" not in text
    assert "| Dossiers nog open aan het eind van het jaar | <5 | <5 |" in text
    assert "| Volunteer | 0 | <5 |" in text
    assert "als <5; een x" in text
    rendered = _rendered(text)
    assert "<5" in rendered.cells
    assert "x" in rendered.cells
    assert any("staat er als <5; een x" in p for p in rendered.paragraphs)


def test_other_markup_stays_escaped_and_inert_when_rendered() -> None:
    hostile = "<script>alert(1)</script> <5@example.org> <5x **vet** | pijp"
    text = _markdown(hostile)
    assert "\\<script\\>" in text and "\\<5@example.org\\>" in text and "\\<5x" in text
    rendered = _rendered(text)
    assert {"script", "a"}.isdisjoint(rendered.tags)
    assert hostile in rendered.paragraphs  # shown literally


@pytest.mark.parametrize("stored", sorted(DEFAULT_ORGANISATION_NAMES))
def test_an_unnamed_organisation_heads_the_report_in_the_report_language(stored: str) -> None:
    i18n.set_language("en")
    english = _markdown(stored)
    assert "**My organisation**" in english and "Mijn organisatie" not in english
    i18n.set_language("nl")
    dutch = _markdown(stored)
    assert "**Mijn organisatie**" in dutch and "My organisation" not in dutch
    assert "**Gemeente Voorbeeld**" in _markdown("Gemeente Voorbeeld")


def test_the_default_name_in_every_language_is_known_as_the_default() -> None:
    for language in ("nl", "en"):
        i18n.set_language(language)
        assert i18n._(DEFAULT_ORGANISATION) in DEFAULT_ORGANISATION_NAMES
