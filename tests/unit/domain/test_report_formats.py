"""The report document has the fixed JSON shape, and text that is not ours cannot steer it."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

from confidant_tui import i18n
from confidant_tui.domain.report import BREAKDOWNS, ReportFigures
from confidant_tui.domain.report_formats import render, report_document
from confidant_tui.domain.suppression import (
    NEW_BREAKDOWNS,
    NEW_COUNTS,
    PublishedFigures,
    suppress,
)

FIELDS = [
    "year",
    "organisation",
    "recipients",
    "due",
    "threshold",
    "cases_opened",
    "open_at_end",
    "conversations",
    "cases_closed",
    "routes_ended",
    "hours",
    "activity_hours",
    "total_hours",
    *BREAKDOWNS,
]
HEADING = ("organisation", "recipients", "due")


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
    return report_document(
        current,
        organisation,
        previous,
        recipients="directie en partijbestuur",
        due=dt.date(2026, 3, 1),
    )


def test_the_json_has_exactly_the_fields_of_the_appendix() -> None:
    document = json.loads(render(_document(), "json"))
    assert list(document) == [*FIELDS, "previous"]
    assert list(document["previous"]) == [f for f in FIELDS if f not in HEADING]
    assert document["recipients"] == "directie en partijbestuur"
    assert document["due"] == "2026-03-01"
    assert document["hours"] == 27  # 1590 / 60 = 26.5, half up
    assert document["by_role"] == {"employee": "x", "volunteer": "<5"}
    assert document["open_at_end"] == "<5" and document["previous"]["cases_opened"] == 0


def test_markdown_shows_the_organisation_literally_and_marks_escaped() -> None:
    text = render(_document("**Partij** | <script>"), "md")
    assert "\\*\\*Partij\\*\\* \\| \\<script\\>" in text
    assert "| <5 |" in text and "\\<5" not in text  # reads right raw: see test_report_markdown
    assert "<script>" not in text


def test_csv_cannot_start_a_formula_and_speaks_english_on_request() -> None:
    i18n.set_language("en")
    rows = list(csv.reader(io.StringIO(render(_document(), "csv"))))
    assert rows[0] == ["figure", "key", "label", "2024", "2025"]
    assert ["by_role", "volunteer", "Volunteer", "0", "<5"] in rows
    assert ["by_level", "'=HYPERLINK(1)", "'=HYPERLINK(1)", "0", "11"] in rows
    assert all(not cell.startswith(("=", "+", "@")) for row in rows for cell in row)


def test_markdown_heading_names_recipients_and_due_date_in_words() -> None:
    text = render(_document(), "md")
    assert "Aan: directie en partijbestuur" in text
    assert "Uiterlijk in te leveren op 1 maart 2026" in text
    assert "03-01" not in text
    assert "## Tijdsbesteding (uren)" in text
    i18n.set_language("en")
    english = render(_document(), "md")
    assert "For: directie en partijbestuur" in english
    assert "Due on 1 March 2026" in english


def test_csv_carries_recipients_and_due_as_fields() -> None:
    rows = list(csv.reader(io.StringIO(render(_document("=Partij"), "csv"))))
    assert rows[1][0] == "recipients" and rows[1][-1] == "directie en partijbestuur"
    assert rows[2][0] == "due" and rows[2][-1] == "2026-03-01"
    assert rows[1][-2] == "" and rows[2][-2] == ""


def test_a_previous_year_published_before_outcomes_were_counted_stays_readable() -> None:
    """An older published report lacks the new fields: read as previous, they show as -."""
    old = json.loads(render(_document(), "json"))["previous"]
    for name in (*NEW_COUNTS, *NEW_BREAKDOWNS, "activity_hours", "total_hours"):
        old.pop(name)
    previous = PublishedFigures.from_dict(old)
    assert previous.cases_closed is None and previous.activity_hours is None
    assert "by_outcome" not in previous.breakdowns
    assert previous.to_dict() == old  # nothing made up
    cells = {name: {} for name in BREAKDOWNS}
    cells["by_outcome"] = {"resolved_informally": 7}
    current = suppress(ReportFigures(2025, cases_closed=7, breakdowns=cells), 5).published
    document = report_document(current, None, previous)
    rows = list(csv.reader(io.StringIO(render(document, "csv"))))
    assert ["cases_closed", "", "Dossiers afgesloten in het jaar", "-", "7"] in rows
    assert ["by_outcome", "resolved_informally", "Resolved informally", "-", "7"] in rows
