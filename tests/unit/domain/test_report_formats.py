"""The report document has the fixed JSON shape, and text that is not ours cannot steer it."""

from __future__ import annotations

import csv
import io
import json

from confidant_tui import i18n
from confidant_tui.domain.report import BREAKDOWNS, ReportFigures
from confidant_tui.domain.report_formats import render, report_document
from confidant_tui.domain.suppression import suppress

FIELDS = [
    "year",
    "organisation",
    "threshold",
    "cases_opened",
    "open_at_end",
    "conversations",
    "hours",
    *BREAKDOWNS,
]


def _document(organisation: str = "Partij") -> dict:
    cells = {name: {} for name in BREAKDOWNS}
    cells.update(
        by_role={"employee": 9, "volunteer": 2},
        by_level={"=HYPERLINK(1)": 11},
        power_imbalance={"true": 6, "false": 5},
        by_category={"bullying": 11},
        by_relation={"manager": 11},
        by_route={"advice": 3},
    )
    current = suppress(ReportFigures(2025, 11, 4, 30, 1590, cells), 5).published
    previous = suppress(ReportFigures(2024, 0, 2, 0, 0), 5).published
    return report_document(current, organisation, previous)


def test_the_json_has_exactly_the_fields_of_the_appendix() -> None:
    document = json.loads(render(_document(), "json"))
    assert list(document) == [*FIELDS, "previous"]
    assert list(document["previous"]) == [f for f in FIELDS if f != "organisation"]
    assert document["hours"] == 27  # 1590 / 60 = 26.5, half up
    assert document["by_role"] == {"employee": "x", "volunteer": "<5"}
    assert document["open_at_end"] == "<5" and document["previous"]["cases_opened"] == 0


def test_markdown_shows_the_organisation_literally_and_marks_escaped() -> None:
    text = render(_document("**Partij** | <script>"), "md")
    assert "\\*\\*Partij\\*\\* \\| \\<script\\>" in text
    assert "| \\<5 |" in text
    assert "<script>" not in text


def test_csv_cannot_start_a_formula_and_speaks_english_on_request() -> None:
    i18n.set_language("en")
    rows = list(csv.reader(io.StringIO(render(_document(), "csv"))))
    assert rows[0] == ["figure", "key", "label", "2024", "2025"]
    assert ["by_role", "volunteer", "Volunteer", "0", "<5"] in rows
    assert ["by_level", "'=HYPERLINK(1)", "'=HYPERLINK(1)", "0", "11"] in rows
    assert all(not cell.startswith(("=", "+", "@")) for row in rows for cell in row)
