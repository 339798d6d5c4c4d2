"""The yearly report PDF: same figures as the JSON, suppressed cells never drawn, no dates."""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

import pypdf
import pytest

from confidant_tui import i18n
from confidant_tui.domain.report_formats import PROTOCOL_GROUND_LABELS, UNKNOWN_LABEL
from confidant_tui.domain.report_pdf_layout import (
    SECTIONS,
    breakdown_rows,
    humanise_key,
)
from confidant_tui.services.pdf_font import printable
from confidant_tui.services.report_pdf import write_report_pdf

PREVIOUS: dict[str, Any] = {
    "year": 2024,
    "organisation": "Partij voor Elkaar",
    "threshold": 5,
    "cases_opened": 52,
    "open_at_end": 9,
    "conversations": 118,
    "hours": 104,
    "by_category": {"bullying": 17, "discrimination": 8, "integrity": "<5", "stalking": "x"},
    "by_role": {"employee": 20, "volunteer": 14, "intern": "x"},
    "by_relation": {"manager": 15, "colleague": 18, "external": "<5"},
    "by_level": {"local": 22, "regional": 11},
    "by_route": {"story_only": 14, "formal.complaint": "<5"},
    "by_referral": {"occupational_health": 6},
    "by_protocol_ground": {},
    "power_imbalance": {"true": 18, "false": 34},
}
REPORT: dict[str, Any] = {
    "year": 2025,
    "organisation": "Partij voor Elkaar \u2014 afdeling Zeeuwsch-Vlaanderen (Belgi\u00eb)",
    "threshold": 5,
    "cases_opened": 67,
    "open_at_end": 12,
    "conversations": 140,
    "hours": 131,
    "by_category": {"bullying": 21, "discrimination": 9, "stalking": "<5", "integrity": "x"},
    "by_role": {"employee": 25, "volunteer": 18, "board_member": "<5", "contractor": "x"},
    "by_relation": {"manager": 20, "colleague": 22, "subordinate": "<5"},
    "by_level": {"local": 28, "regional": 14, "parliamentary_group": "<5"},
    "by_route": {"story_only": 15, "informal.supported": 9, "formal.complaint": 5},
    "by_referral": {"occupational_health": 8, "social_work": "<5"},
    "by_protocol_ground": {"consent": "<5"},
    "power_imbalance": {"true": 20, "false": 47},
    "previous": PREVIOUS,
}
LABELS = {
    "by_category": {"bullying": "Pesten", "discrimination": "Discriminatie"},
    "by_route": {"informal.supported": "Informeel: met steun van de vertrouwenspersoon"},
}


def _text(path: Path) -> str:
    reader = pypdf.PdfReader(path)
    return "\n".join(page.extract_text() for page in reader.pages)


def _flat(text: str) -> str:
    return " ".join(text.split())


def _write(tmp_path: Path, report: dict[str, Any], language: str = "nl", **kw: Any) -> Path:
    path = tmp_path / f"report-{language}.pdf"
    write_report_pdf(report, path, language=language, labels=kw.get("labels", LABELS))
    return path


def test_breakdown_rows_never_give_a_suppressed_cell_a_bar() -> None:
    rows = {row.key: row for row in breakdown_rows(REPORT, "by_category", str)}
    assert rows["stalking"].current == "<5" and rows["stalking"].current_bar is None
    assert rows["stalking"].previous == "x" and rows["stalking"].previous_bar is None
    assert rows["integrity"].current == "x" and rows["integrity"].current_bar is None
    assert rows["bullying"].current_bar == 1.0
    assert rows["bullying"].previous_bar == pytest.approx(17 / 21)


def test_breakdown_rows_count_a_missing_key_as_zero_and_keep_the_report_order() -> None:
    rows = breakdown_rows(REPORT, "by_role", str)
    assert [row.key for row in rows] == [
        "employee",
        "volunteer",
        "board_member",
        "contractor",
        "intern",
    ]
    intern = rows[-1]
    assert (intern.previous, intern.current, intern.current_bar) == ("x", "0", 0.0)


def test_breakdown_rows_without_a_previous_year() -> None:
    report = {key: value for key, value in REPORT.items() if key != "previous"}
    rows = breakdown_rows(report, "by_level", str)
    assert all(row.previous is None and row.previous_bar is None for row in rows)
    assert breakdown_rows(report, "by_protocol_ground", str)[0].current == "<5"


def test_printable_keeps_every_letter_the_font_has_and_drops_control_characters() -> None:
    assert printable("één, ë, ï, ó, Şükrü Çelik, Œuvre, \u0133s") == (
        "één, ë, ï, ó, Şükrü Çelik, Œuvre, \u0133s"
    )
    assert printable("a \u2014 b \u201cq\u201d") == "a \u2014 b \u201cq\u201d"
    assert printable("Ba\u015fak\x1b[31m\u202e") == "Ba\u015fak[31m"
    assert printable("Zoe\u0308\nvan 't Hek") == "Zo\u00eb van 't Hek"
    assert printable("\u210c \U0001f600") == "H ?"
    assert humanise_key("informal.self") == "Informal - self"


def test_pdf_carries_every_figure_of_the_report_next_to_its_label(tmp_path: Path) -> None:
    text = _flat(_text(_write(tmp_path, REPORT)))
    assert "Jaarverslag vertrouwenspersoon 2025" in text
    assert "Partij voor Elkaar \u2014 afdeling Zeeuwsch-Vlaanderen (België)" in text
    assert "Nieuwe dossiers 52 67" in text
    assert "Gevoerde gesprekken 118 140" in text
    assert "Tijd besteed aan gesprekken (uren) 104 131" in text
    assert "Dossiers nog open aan het eind van het jaar 9 12" in text
    label = {
        "by_category": {"bullying": "Pesten", "discrimination": "Discriminatie"},
        "by_route": {"informal.supported": "Informeel: met steun van de vertrouwenspersoon"},
        "power_imbalance": {"true": "Met machtsverschil", "false": "Zonder machtsverschil"},
        "by_protocol_ground": {"consent": i18n._(PROTOCOL_GROUND_LABELS["consent"])},
    }
    checked = 0
    for field, _title, _note in SECTIONS:
        if field not in REPORT:
            continue
        for key in set(REPORT[field]) | set(PREVIOUS[field]):
            name = label.get(field, {}).get(key, humanise_key(key))
            previous = PREVIOUS[field].get(key, 0)
            current = REPORT[field].get(key, 0)
            assert f"{name} {previous} {current}" in text, (field, key)
            checked += 1
    assert checked == 24
    assert "Met machtsverschil 18 20" in text


def test_pdf_explains_hiding_and_numbers_its_pages(tmp_path: Path) -> None:
    path = _write(tmp_path, REPORT)
    reader = pypdf.PdfReader(path)
    pages = len(reader.pages)
    assert pages >= 2
    text = _flat(_text(path))
    assert "een aantal van 1 tot en met 4 staat er als <5" in text
    assert "Verborgen aantallen krijgen geen balk" in text
    assert f"Pagina 1 van {pages}" in text
    assert f"Pagina {pages} van {pages}" in text
    assert text.count("Vertrouwelijk - geanonimiseerd jaarverslag") == pages


def test_pdf_has_no_date_finer_than_the_year(tmp_path: Path) -> None:
    path = _write(tmp_path, REPORT)
    text = _text(path)
    assert not re.search(r"\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}|\d{4}-\d{2}-\d{2}", text)
    metadata = pypdf.PdfReader(path).metadata
    assert metadata is not None
    assert str(metadata["/CreationDate"]).startswith("D:20260101000000")
    again = tmp_path / "again.pdf"
    write_report_pdf(REPORT, again, language="nl", labels=LABELS)
    assert again.read_bytes() == path.read_bytes(), "rebuilding must give the same file"


def test_pdf_in_english_leaves_the_interface_language_alone(tmp_path: Path) -> None:
    assert i18n.get_language() == "nl"
    text = _flat(_text(_write(tmp_path, REPORT, language="en", labels=None)))
    assert i18n.get_language() == "nl"
    assert "Yearly report of the confidential adviser 2025" in text
    assert "New cases opened 52 67" in text
    assert "Bullying 17 21" in text
    assert "Shared with the reporter's consent 0 <5" in text
    assert "With a power imbalance 18 20" in text
    assert "Page 1 of" in text
    assert "Jaarverslag" not in text


def test_pdf_without_previous_year_and_with_a_suppressed_total(tmp_path: Path) -> None:
    report = copy.deepcopy(REPORT)
    del report["previous"]
    report["cases_opened"] = "<5"
    report["organisation"] = None
    text = _flat(_text(_write(tmp_path, report, labels=None)))
    assert "Nieuwe dossiers <5" in text
    assert "vergeleken met" not in text
    assert "Bullying 21" in text
    assert "2024" not in text


def test_pdf_unwritable_place_gives_a_clear_error(tmp_path: Path) -> None:
    from confidant_tui.errors import StorageError

    with pytest.raises(StorageError, match="kon niet worden opgeslagen"):
        write_report_pdf(REPORT, tmp_path / "missing" / "r.pdf", language="nl", labels=None)


def test_pdf_file_is_private_to_the_user(tmp_path: Path) -> None:
    path = _write(tmp_path, REPORT)
    assert path.stat().st_mode & 0o077 == 0
    assert not list(tmp_path.glob("*.tmp"))


def test_pdf_labels_come_from_the_taxonomy_in_the_pdf_language(tmp_path: Path) -> None:
    from confidant_tui.services.report_pdf import load_taxonomy, taxonomy_labels

    taxonomy = load_taxonomy()
    report = copy.deepcopy(REPORT)
    report["by_level"]["unknown"] = 6
    report["by_protocol_ground"]["duty_to_report"] = "x"
    path = tmp_path / "taxonomy.pdf"
    write_report_pdf(report, path, language="nl", labels=taxonomy_labels(taxonomy, "nl"))
    text = _flat(_text(path))
    dutch_unknown = i18n._(UNKNOWN_LABEL)
    dutch_consent = i18n._(PROTOCOL_GROUND_LABELS["consent"])
    dutch_duty = i18n._(PROTOCOL_GROUND_LABELS["duty_to_report"])
    assert "Pesten 17 21" in text
    assert f"{taxonomy.label('reporter_role', 'contractor', 'nl')} 0 x" in text
    assert "Bedrijfsarts (arbo-arts) 6 8" in text
    assert f"{dutch_unknown} 0 6" in text
    assert f"{dutch_consent} 0 <5" in text
    assert f"{dutch_duty} 0 x" in text


def test_pdf_never_overwrites_a_file_that_is_not_a_pdf(tmp_path: Path) -> None:
    from confidant_tui.errors import InvalidInput

    vault_like = tmp_path / "vault.db"
    vault_like.write_bytes(b"SQLite format 3\x00 secret")
    with pytest.raises(InvalidInput, match="geen pdf"):
        write_report_pdf(REPORT, vault_like, language="nl", labels=None)
    assert vault_like.read_bytes() == b"SQLite format 3\x00 secret"
    path = _write(tmp_path, REPORT)
    write_report_pdf(REPORT, path, language="nl", labels=None)
    assert path.read_bytes().startswith(b"%PDF-")


def test_a_zero_is_never_marked_hidden_even_when_everything_else_is() -> None:
    report = {
        "year": 2025,
        "by_role": {"employee": "<5"},
        "previous": {"year": 2024, "by_role": {"volunteer": "<5"}},
    }
    rows = {row.key: row for row in breakdown_rows(report, "by_role", str)}
    assert rows["employee"].previous_bar == 0.0 and rows["employee"].current_bar is None
    assert rows["volunteer"].current_bar == 0.0 and rows["volunteer"].previous_bar is None


def test_pdf_names_the_recipients_and_the_due_date_and_counts_outcomes(tmp_path: Path) -> None:
    """The organisation's heading, the new figures, and a year before published without them
    (shown as -, never as a false 0)."""
    report = copy.deepcopy(REPORT)
    report |= {
        "recipients": "directie en partijbestuur",
        "due": "2027-03-01",
        "cases_closed": 30,
        "routes_ended": "<5",
        "activity_hours": 40,
        "total_hours": 171,
        "by_outcome": {"resolved_informally": 22, "measure_taken": "x", "unknown": "<5"},
        "by_experience": {"positive": 30},
        "by_route_outcome": {"upheld": "<5"},
        "by_measure": {},
        "by_activity": {"advice_requested": 6, "supervision": "<5"},
    }
    text = _flat(_text(_write(tmp_path, report)))
    assert "Aan: directie en partijbestuur" in text
    assert "Uiterlijk in te leveren op 1 maart 2027" in text
    assert "Dossiers afgesloten in het jaar - 30" in text
    assert "Werk buiten dossiers (uren) - 40" in text
    assert "Totaal (uren) - 171" in text
    assert "Gevraagd advies - 6" in text or "Advice requested - 6" in text
    english = _flat(_text(_write(tmp_path, report, language="en", labels=None)))
    assert "For: directie en partijbestuur" in english
    assert "Due on 1 March 2027" in english
    assert "Time spent (hours)" in english


def test_pdf_embeds_its_font_and_keeps_names_outside_latin1(tmp_path: Path) -> None:
    """Letters outside Latin-1 come out as typed: "ş", "Œ", "ĳ" (Helvetica made "ş" an "s")."""
    report = copy.deepcopy(REPORT)
    report["organisation"] = "Stichting Başak & Œuvre \u2014 Vĳfhuizen"
    labels = {"by_category": {"bullying": "Pesten (Şükrü-regeling)"}}
    path = _write(tmp_path, report, labels=labels)
    text = _flat(_text(path))
    assert "Stichting Başak & Œuvre \u2014 Vĳfhuizen" in text
    assert "Pesten (Şükrü-regeling) 17 21" in text
    fonts = {
        str(font["/BaseFont"])
        for page in pypdf.PdfReader(path).pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert fonts and all("SourceSansPro" in name for name in fonts), fonts
    assert not any("Helvetica" in name for name in fonts)
