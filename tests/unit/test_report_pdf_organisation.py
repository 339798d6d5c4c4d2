"""The PDF report (and the published files) name an organisation the adviser never named in the report's language."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from confidant_tui import i18n
from confidant_tui.services.report_pdf import write_report_pdf
from confidant_tui.services.report_publish import file_names

_spec = importlib.util.spec_from_file_location(
    "report_pdf_cases", Path(__file__).with_name("test_report_pdf.py")
)
cases = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(cases)


@pytest.mark.parametrize(
    ("stored", "language", "shown", "not_shown"),
    [
        ("Mijn organisatie", "en", "My organisation", "Mijn organisatie"),
        ("My organisation", "nl", "Mijn organisatie", "My organisation"),
        ("Gemeente Voorbeeld", "en", "Gemeente Voorbeeld", "My organisation"),
    ],
)
def test_the_heading_names_the_default_organisation_in_the_report_language(
    tmp_path: Path, stored: str, language: str, shown: str, not_shown: str
) -> None:
    path = tmp_path / "report.pdf"
    write_report_pdf({**cases.REPORT, "organisation": stored}, path, language=language)
    text = cases._flat(cases._text(path))
    assert shown in text and not_shown not in text


def test_the_published_files_name_the_default_organisation_in_the_report_language() -> None:
    assert file_names(2025, "My organisation")[0] == "jaarverslag-2025-mijn-organisatie.md"
    i18n.set_language("en")
    assert file_names(2025, "Mijn organisatie")[-1] == "yearly-report-2025-my-organisation.pdf"
    assert file_names(2025, "Partij")[0] == "yearly-report-2025-partij.md"
