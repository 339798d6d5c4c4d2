"""Provides the yearly report as a JSON document, and that document as Markdown, CSV and JSON.

All three formats are made from one dict (the shape of DOMAIN.md's appendix), so they carry
the same numbers; the PDF (`services/report_pdf.py`) is made from the same dict. Nothing in
them names a person or a case: only the year, the organisation's name, its recipients and
due date, labels and counts. Text that is not ours (the organisation's name and recipients,
an organisation's own level keys) is escaped so that it cannot steer Markdown or a
spreadsheet.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Callable
from functools import partial
from typing import Any, cast

from confidant_tui import i18n
from confidant_tui.domain.report_json import ReportDocument
from confidant_tui.domain.report_pdf_layout import (
    KEY_FIGURES,
    POWER_IMBALANCE_LABELS,
    SECTIONS,
    TIME_FIGURES,
    TIME_TITLE,
    breakdown_rows,
    figure_cell,
    heading_lines,
    humanise_key,
)
from confidant_tui.domain.suppression import PublishedFigures
from confidant_tui.i18n import N_, _

Labels = Callable[[str, str], str]
"""Gives the reader's label of a key: (report field, key) -> label."""

FORMATS = ("md", "csv", "json")

PROTOCOL_GROUND_LABELS: dict[str, str] = {
    "consent": N_("Shared with the reporter's consent"),
    "conscientious_distress": N_("Serious conscientious distress"),
    "duty_to_report": N_("Legal duty to report"),
    "duty_to_disclose": N_("Legal duty to disclose"),
}

UNKNOWN_LABEL = N_("Unknown or not recorded")


def report_document(
    current: PublishedFigures,
    organisation: str | None,
    previous: PublishedFigures | None,
    *,
    internal: bool = False,
    recipients: str | None = None,
    due: dt.date | None = None,
) -> ReportDocument:
    """The report as the JSON-shaped dict of DOMAIN.md ("Yearly report as JSON").

    Args:
        current: the published figures of the year.
        organisation: the organisation's name (None when the vault does not say).
        previous: the figures of the year before (published ones where they exist).
        internal: add the `withheld` lists (only for the copy kept in the vault).
        recipients: who receives the report (the organisation's rule; None: not set).
        due: the day the report is due (the organisation's rule).
    """
    figures = current.to_dict(internal=internal)
    # The keys in the order of the JSON report: organisation, recipients, due after the year.
    heading: dict[str, Any] = {"year": figures["year"], "organisation": organisation}
    heading["recipients"] = recipients or None
    if due is not None:
        heading["due"] = due.isoformat()
    document = cast(ReportDocument, heading | {k: v for k, v in figures.items() if k != "year"})
    if previous is not None:
        document["previous"] = previous.to_dict(internal=internal)
    return document


def default_label(field: str, key: str) -> str:
    """A label without the taxonomy: our own labels, else the key made readable."""
    if field == "power_imbalance" and key in POWER_IMBALANCE_LABELS:
        return i18n._(POWER_IMBALANCE_LABELS[key])
    if field == "by_protocol_ground" and key in PROTOCOL_GROUND_LABELS:
        return i18n._(PROTOCOL_GROUND_LABELS[key])
    if key == "unknown":
        return i18n._(UNKNOWN_LABEL)
    return humanise_key(key)


def to_json(document: ReportDocument) -> str:
    """The report as JSON text (UTF-8, indented, keys in the report's order)."""
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def _title(document: ReportDocument) -> str:
    return _("Yearly report of the confidential adviser {year}").format(year=document["year"])


_PLAIN_LESS_THAN = re.compile(r"<(?=\d+(?![\w.!#$%&'*+/=?^`{|}~@-]))")
"""A "<" before a number that no e-mail address or tag goes on from (as in "<5" or
"<5;"): CommonMark starts a tag or autolink at "<" only before a letter, or before an
address ("<5@example.org>"), and a browser shows "<5" in HTML as it is. So it stays
unescaped and the raw file reads "<5", not "\\<5"."""


def _md_text(text: str) -> str:
    """Escapes text so Markdown shows it literally (also inside a table cell).

    A backslash goes before every character Markdown could read as markup, except a "<"
    before a number (see `_PLAIN_LESS_THAN`): the file reads right both raw and rendered.
    """
    cleaned = "".join(ch if ch.isprintable() else " " for ch in text)
    plain = {match.start() for match in _PLAIN_LESS_THAN.finditer(cleaned)}
    return "".join(
        "\\" + ch if ch in "\\`*_{}[]<>#|~" and index not in plain else ch
        for index, ch in enumerate(cleaned)
    )


def _md_cell(value: str) -> str:
    """A count as a table cell: digits, "<5" (as it is, see `_PLAIN_LESS_THAN`), x or -."""
    return _md_text(value)


DEFAULT_ORGANISATION = N_("My organisation")
"""The name of an organisation the adviser did not name (`init` without a name)."""
DEFAULT_ORGANISATION_NAMES = frozenset({"My organisation", "Mijn organisatie"})
"""`DEFAULT_ORGANISATION` in every language Confidant speaks (and the name of a 0.1.x
settings file without one): a report shows such a name in the report's own language."""


def organisation_heading(name: str, translate: Callable[[str], str]) -> str:
    """The organisation's name as a report shows it: a name the adviser never gave (the
    default, in whatever language the vault was made) in the report's language."""
    return translate(DEFAULT_ORGANISATION) if name in DEFAULT_ORGANISATION_NAMES else name


def to_markdown(document: ReportDocument, labels: Labels | None = None) -> str:
    """The report as Markdown: key figures, then one table per breakdown, both years."""
    label = labels or default_label
    previous = document.get("previous")
    k = document["threshold"]
    years = [str(previous["year"])] if previous else []
    years.append(str(document["year"]))
    lines = [f"# {_md_text(_title(document))}", ""]
    if document.get("organisation"):
        shown = organisation_heading(str(document["organisation"]), i18n._)
        lines += [f"**{_md_text(shown)}**", ""]
    below = heading_lines(document, i18n._)
    if below:
        lines += ["  \n".join(_md_text(line) for line in below), ""]
    lines += [
        _md_text(
            _(
                "Anonymised: no names, case numbers, dates or descriptions, only counts. A "
                "count from 1 to {below} is shown as <{k}; x means a count was hidden so that "
                "a hidden count cannot be worked out from the totals."
            ).format(below=k - 1, k=k)
        ),
        "",
        f"## {_md_text(_('Key figures'))}",
        "",
    ]
    header = ["| | " + " | ".join(years) + " |", "|---|" + "---:|" * len(years)]
    lines += header
    lines += _md_figures(document, KEY_FIGURES)
    lines += ["", f"## {_md_text(i18n._(TIME_TITLE))}", "", *header]
    lines += _md_figures(document, TIME_FIGURES)
    for section, title, note in SECTIONS:
        lines += ["", f"## {_md_text(i18n._(title))}", ""]
        if note:
            lines += [f"*{_md_text(i18n._(note))}*", ""]
        rows = breakdown_rows(document, section, partial(label, section))
        if not rows:
            lines.append(_md_text(_("None in either year.")))
            continue
        lines += ["| | " + " | ".join(years) + " |", "|---|" + "---:|" * len(years)]
        for row in rows:
            values = [row.previous] if row.previous is not None else []
            values.append(row.current)
            lines.append(f"| {_md_text(row.label)} | " + " | ".join(map(_md_cell, values)) + " |")
    return "\n".join(lines) + "\n"


def _md_figures(document: ReportDocument, figures: tuple[tuple[str, str], ...]) -> list[str]:
    """The Markdown table rows of single figures, both years."""
    previous = document.get("previous")
    rows = []
    for field, title in figures:
        values = [figure_cell(previous, field)] if previous else []
        values.append(figure_cell(document, field))
        rows.append(f"| {_md_text(i18n._(title))} | " + " | ".join(map(_md_cell, values)) + " |")
    return rows


def _csv_text(text: str) -> str:
    """Keeps a spreadsheet from reading text as a formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def to_csv(document: ReportDocument, labels: Labels | None = None) -> str:
    """The report as CSV: one row per figure and key, one column per year.

    Columns: figure, key, label, then the year before (when there is one) and the year.
    The single counts have an empty key. The first rows are the recipients and the due date
    (ISO, so a spreadsheet reads it as a date), in the year's column.
    """
    label = labels or default_label
    previous = document.get("previous")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    years = [str(previous["year"])] if previous else []
    years.append(str(document["year"]))
    writer.writerow([_("figure"), _("key"), _("label"), *years])
    before = [""] if previous else []
    recipients = document.get("recipients") or ""
    writer.writerow(["recipients", "", _("Recipients"), *before, _csv_text(recipients)])
    writer.writerow(["due", "", _("Due"), *before, document.get("due") or ""])
    for field, title in (*KEY_FIGURES, *TIME_FIGURES):
        values = [figure_cell(previous, field)] if previous else []
        values.append(figure_cell(document, field))
        writer.writerow([field, "", _csv_text(i18n._(title)), *values])
    for section, _title_id, _note in SECTIONS:
        for row in breakdown_rows(document, section, partial(label, section)):
            values = [row.previous] if row.previous is not None else []
            values.append(row.current)
            writer.writerow([section, _csv_text(row.key), _csv_text(row.label), *values])
    return out.getvalue()


def render(document: ReportDocument, form: str, labels: Labels | None = None) -> str:
    """The report in `form` ("md", "csv" or "json")."""
    if form == "json":
        return to_json(document)
    if form == "csv":
        return to_csv(document, labels)
    if form == "md":
        return to_markdown(document, labels)
    raise ValueError(f"unknown report format {form!r}")
