"""Provides `write_report_pdf`: the yearly anonymised report as an A4 PDF for the board.

The PDF carries exactly the figures of the JSON report (same dict in, same cells out), last
year beside this year, with a bar per visible count; a suppressed cell (`<k`, `x`) is printed
as text and never drawn. It holds no names, codes, notes or dates about a case: the only
date is the organisation's due date, written out ("1 maart 2027"), under its recipients; not
even a creation date finer than the year (the metadata date is 1 January after the reported
year, which also makes the file the same byte for byte each time it is rebuilt). It embeds
the font of `services.pdf_font` (Source Sans Pro), so a name like "Şükrü" or an organisation
called "Œuvre" comes out as typed; nothing is fetched.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from confidant_tui.display_text import visible
from confidant_tui.domain.report_json import ReportDocument
from confidant_tui.domain.report_pdf_layout import FIELD_KINDS
from confidant_tui.domain.taxonomy import Taxonomy
from confidant_tui.errors import InvalidInput
from confidant_tui.i18n import _
from confidant_tui.services.cases import load_taxonomy
from confidant_tui.services.exports import check_output_path, write_export
from confidant_tui.services.report_pdf_drawing import Labels, ReportWriter

__all__ = [
    "Labels",
    "load_taxonomy",
    "report_pdf_bytes",
    "taxonomy_labels",
    "write_report_pdf",
]


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


def _refuse_overwriting_other_files(path: Path, vault_path: Path | None) -> None:
    """Replaces an earlier PDF, never anything else: a typo must not overwrite the vault.

    The path is checked (`exports.check_output_path`) before the existing file is opened, so
    a pipe or device is refused instead of read.
    """
    target = check_output_path(path, vault_path=vault_path, replace=True)
    try:
        with target.open("rb") as handle:
            start = handle.read(5)
    except FileNotFoundError:
        return
    except OSError:
        start = b""
    if start != b"%PDF-":
        raise InvalidInput(
            _("{path} exists and is not a PDF; Confidant will not overwrite it.").format(
                path=visible(path)
            )
        )


def report_pdf_bytes(report: ReportDocument, *, language: str, labels: Labels = None) -> bytes:
    """The yearly report as the bytes of an A4 PDF (see `write_report_pdf`)."""
    return bytes(ReportWriter(report, language, labels).build().output())


def write_report_pdf(
    report: ReportDocument,
    path: Path,
    *,
    language: str,
    labels: Labels = None,
    vault_path: Path | None = None,
    replace: bool = True,
) -> Path:
    """Writes the yearly report as an A4 PDF, readable by a board member without help.

    Args:
        report: the report as the JSON-shaped dict (DOMAIN.md, "Yearly report as JSON").
        path: where to write; written atomically (a temporary file, then renamed), private
            to the user, through `services.exports.write_export`.
        language: "nl" or "en", independent of the interface language.
        labels: labels for the keys of the breakdowns (see `Labels`).
        vault_path: the vault's database file (never written over).
        replace: an earlier PDF at `path` may be replaced (a file that is not a PDF never
            is). Pass False where the adviser has not agreed to replace it.

    Returns:
        The absolute path written.

    Raises:
        InvalidInput: `path` is refused, exists and is not a PDF (it could be the vault),
            or exists while `replace` is False.
        StorageError: the file cannot be written; the message says why.
    """
    if replace:
        _refuse_overwriting_other_files(path, vault_path)
    data = report_pdf_bytes(report, language=language, labels=labels)
    return write_export(path, data, vault_path=vault_path, replace=replace)
