"""Provides `write_report_pdf`: the yearly anonymised report as an A4 PDF for the board.

The PDF carries exactly the figures of the JSON report (same dict in, same cells out), last
year beside this year, with a bar per visible count; a suppressed cell (`<k`, `x`) is printed
as text and never drawn. It holds no names, codes, notes or dates: not even a creation date
finer than the year (the metadata date is 1 January after the reported year, which also makes
the file the same byte for byte each time it is rebuilt). It uses the PDF core font Helvetica
(Latin-1: every Dutch letter), so nothing is fetched or shipped.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from confidant_tui.atomic_file import write_private_atomically
from confidant_tui.domain.report_pdf_layout import FIELD_KINDS
from confidant_tui.domain.taxonomy import Taxonomy
from confidant_tui.errors import InvalidInput, StorageError
from confidant_tui.i18n import _
from confidant_tui.services.cases import load_taxonomy
from confidant_tui.services.report_pdf_drawing import Labels, ReportWriter

__all__ = ["Labels", "load_taxonomy", "taxonomy_labels", "write_report_pdf"]


def taxonomy_labels(taxonomy: Taxonomy, language: str) -> Callable[[str, str], str]:
    """Labels for `write_report_pdf` from the taxonomy, in `language`.

    Args:
        taxonomy: the taxonomy (with the organisation's own levels).
        language: "nl" or "en".

    Returns:
        A function (report field, key) -> label; keys it does not know come back unchanged,
        and `write_report_pdf` then gives them its own label or a readable form of the key.
    """

    def lookup(field: str, key: str) -> str:
        kind = FIELD_KINDS.get(field)
        return taxonomy.label(kind, key, language) if kind else key

    return lookup


def _refuse_overwriting_other_files(path: Path) -> None:
    """Replaces an earlier PDF, never anything else: a typo must not overwrite the vault."""
    try:
        with path.open("rb") as handle:
            start = handle.read(5)
    except FileNotFoundError:
        return
    except OSError:
        start = b""
    if start != b"%PDF-":
        raise InvalidInput(
            _("{path} exists and is not a PDF; Confidant will not overwrite it.").format(path=path)
        )


def write_report_pdf(
    report: Mapping[str, Any], path: Path, *, language: str, labels: Labels = None
) -> None:
    """Writes the yearly report as an A4 PDF, readable by a board member without help.

    Args:
        report: the report as the JSON-shaped dict (DOMAIN.md, "Yearly report as JSON").
        path: where to write; written atomically (a temporary file, then renamed), private
            to the user.
        language: "nl" or "en", independent of the interface language.
        labels: labels for the keys of the breakdowns (see `Labels`).

    Raises:
        InvalidInput: `path` exists and is not a PDF (it could be the vault).
        StorageError: the file cannot be written.
    """
    _refuse_overwriting_other_files(path)
    document = ReportWriter(report, language, labels).build()
    data = bytes(document.output())
    try:
        write_private_atomically(path, data)
    except OSError:
        raise StorageError(
            _("The report could not be written to {path}.").format(path=path)
        ) from None
