"""Provides `publish_files`: the yearly report written out in every format at once (the app's
"publish"), recorded as published in the same transaction as the files are written.

The command line writes one format per call (`confidant report`); the report screen writes
Markdown, CSV, JSON and PDF into one folder the adviser names. All four come from the same
`BuiltReport.document`, so they carry the same figures.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from pathlib import Path

import platformdirs

from confidant_tui.display_text import visible
from confidant_tui.domain.report_formats import organisation_heading
from confidant_tui.errors import InvalidInput
from confidant_tui.i18n import _, get_language
from confidant_tui.services import report as report_service
from confidant_tui.services.exports import OutputExists, check_output_path
from confidant_tui.services.report_pdf import write_report_pdf
from confidant_tui.vault.store import Vault

FILE_FORMATS = ("md", "csv", "json", "pdf")
"""The files the app's "publish" writes, in this order."""


def default_folder() -> Path:
    """Where the report goes unless the adviser names another folder: their documents
    folder, or their home folder when there is none."""
    documents = Path(platformdirs.user_documents_dir())
    return documents if documents.is_dir() else Path.home()


def _slug(name: str) -> str:
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")[:40]


def file_names(year: int, organisation: str | None) -> list[str]:
    """The names of the files written for a year (e.g. `jaarverslag-2025-partij.pdf`)."""
    stem = _("yearly-report") + f"-{year}"
    # an organisation never named is called by the report's language, as in the heading
    slug = _slug(organisation_heading(organisation, _)) if organisation else ""
    if slug:
        stem += f"-{slug}"
    return [f"{stem}.{form}" for form in FILE_FORMATS]


def existing_files(vault_path: Path, built: report_service.BuiltReport, folder: Path) -> list[Path]:
    """The report files that already exist in `folder` (the app asks before replacing them).

    Args:
        vault_path: the vault's database file.
        built: the report.
        folder: the folder the adviser named.

    Raises:
        InvalidInput, StorageError: a file may not be written there at all: the folder does
            not exist, or a name is taken by a folder, a pipe, a device or a vault file.
    """
    found = []
    for path in _paths(built, folder):
        try:
            check_output_path(path, vault_path=vault_path, replace=False)
        except OutputExists as exists:
            found.append(exists.path)
    return found


def _paths(built: report_service.BuiltReport, folder: Path) -> list[Path]:
    folder = Path(folder).expanduser()
    return [folder / name for name in file_names(built.year, built.organisation)]


def publish_files(
    vault: Vault,
    vault_path: Path,
    built: report_service.BuiltReport,
    folder: Path,
    *,
    today: dt.date,
    language: str | None = None,
    replace: bool = False,
) -> list[Path]:
    """Writes the report as Markdown, CSV, JSON and PDF and records it as published.

    The record and the files go together: when a file cannot be written, the record is
    rolled back (files already written stay, and are named in no record). Every path is
    checked before the first file is written (`services.exports`).

    Args:
        vault: the vault, open for writing.
        vault_path: the vault's database file (a report is never written over it).
        built: the report (`services.report.build_report`).
        folder: an existing folder the adviser chose.
        today: the publication day (kept in the vault only, never in the files).
        language: the language of the files (default: the interface language).
        replace: files of the same names may be replaced (the adviser agreed); without it
            an existing file stops the publication before anything is written.

    Returns:
        The paths written.

    Raises:
        InvalidInput: the folder does not exist, or a file exists and `replace` is False.
        StorageError: a file cannot be written; the message says why.
    """
    folder = Path(folder).expanduser()
    if not folder.is_dir():
        raise InvalidInput(_("The folder {path} does not exist.").format(path=visible(folder)))
    language = language or get_language()
    paths = _paths(built, folder)
    for path in paths:
        check_output_path(path, vault_path=vault_path, replace=replace)
    labels = report_service.label_function(built.taxonomy)

    def write() -> None:
        for path, form in zip(paths, FILE_FORMATS, strict=True):
            if form == "pdf":
                write_report_pdf(
                    built.document,
                    path,
                    language=language,
                    labels=labels,
                    vault_path=vault_path,
                    replace=replace,
                )
            else:
                text = report_service.render(built, form)
                report_service.write_text(text, path, vault_path, replace=replace)

    report_service.publish(vault, built, "pdf", today, write)
    return paths
