"""Provides the yearly-report use cases: build, render, write out, publish, list published.

Building only reads the vault (it works on a vault opened read-only, while the app runs).
Publishing records the report in the vault, so it needs the vault open for writing: the CLI
does it with `--publish`, the app from its report screen. The year before is taken from the
published report of that year when there is one, so two reports never disagree about a year.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from confidant_tui.display_text import visible
from confidant_tui.domain import report_formats
from confidant_tui.domain.organisation import OrganisationRules
from confidant_tui.domain.report import ReportFigures, add_figures, count_year
from confidant_tui.domain.report_json import ReportDocument
from confidant_tui.domain.report_pdf_layout import FIELD_KINDS
from confidant_tui.domain.statistics import StatRecord
from confidant_tui.domain.suppression import (
    COMPLEMENT,
    SMALL,
    TOTAL_HIDDEN,
    Hidden,
    PublishedFigures,
    suppress,
)
from confidant_tui.domain.taxonomy import Taxonomy
from confidant_tui.errors import InvalidInput, NotFound
from confidant_tui.i18n import _
from confidant_tui.services import audit_acts
from confidant_tui.services.exports import write_export
from confidant_tui.vault import freshness, organisations_repo, stats_counts, stats_repo
from confidant_tui.vault.store import Connection, Vault

PREVIOUS_PUBLISHED, PREVIOUS_COUNTED = "published", "counted"


@dataclass(frozen=True)
class BuiltReport:
    """A report ready to be written out.

    Attributes:
        year: the reported year.
        organisation: the organisation's name (None: the vault names none).
        organisation_id: its id in the vault (None with it).
        document: the board's report (the JSON shape; nothing else goes out).
        hidden: what was hidden and why, both years (for the adviser only).
        previous_source: `PREVIOUS_PUBLISHED` or `PREVIOUS_COUNTED`.
        earlier_differs: a report of this year was published before with other figures.
        internal: the copy kept in the vault when published (adds `withheld`).
        taxonomy: the keys it was counted with; their labels name the rows when written.
    """

    year: int
    organisation: str | None
    organisation_id: int | None
    document: ReportDocument
    hidden: tuple[Hidden, ...]
    previous_source: str
    earlier_differs: bool
    internal: ReportDocument
    taxonomy: Taxonomy


_CacheKey = tuple[str, str, int, str | None, int | None, Taxonomy]
_cache: dict[_CacheKey, tuple[int, BuiltReport]] = {}
"""Reports built lately, in memory only: (vault path, vault id, year, organisation asked,
threshold asked, taxonomy) -> (the vault's commit counter then, the report). A report is
reused while the counter is unchanged (any save changes it), so switching between years
and back recounts nothing. One vault at a time, a few reports."""
_CACHED_REPORTS = 8


def forget_cached() -> None:
    """Drops the reports kept in memory (the app calls it when it locks)."""
    _cache.clear()


def _fresh_copy(built: BuiltReport) -> BuiltReport:
    """The report with its own documents (a caller may change them; the cache's stay)."""
    return dataclasses.replace(
        built, document=copy.deepcopy(built.document), internal=copy.deepcopy(built.internal)
    )


def _choose_organisation(
    names: Mapping[int, str], wanted: str | None
) -> tuple[int | None, str | None]:
    if wanted is not None:
        for org_id, name in names.items():
            if name == wanted:
                return org_id, name
        raise NotFound(
            _("There is no organisation called '{name}' in the vault.").format(name=visible(wanted))
        )
    if len(names) > 1:
        raise InvalidInput(
            _("The vault holds cases of several organisations; choose one with --organisation.")
        )
    if names:
        org_id, name = next(iter(names.items()))
        return org_id, name
    return None, None


def key_domains(taxonomy: Taxonomy) -> dict[str, Sequence[str]]:
    """Every key each case breakdown can have (to hide a breakdown whole), from the taxonomy
    with the organisation's own terms (its levels and measures)."""
    return {
        "by_category": taxonomy.top_levels(),
        "by_role": taxonomy.keys("reporter_role"),
        "by_relation": taxonomy.keys("relation"),
        "by_level": (*taxonomy.keys("level"), "unknown"),
        "power_imbalance": ("true", "false", "unknown"),
        "by_outcome": (*taxonomy.keys("outcome"), "unknown"),
        "by_experience": (*taxonomy.keys("experience"), "unknown"),
        "by_route_outcome": (*taxonomy.keys("route_outcome"), "unknown"),
        "by_measure": taxonomy.keys("measure"),
    }


def build_report(
    vault: Vault,
    year: int,
    *,
    taxonomy: Taxonomy,
    organisation: str | None = None,
    threshold: int | None = None,
) -> BuiltReport:
    """Counts, suppresses and assembles the report of one year for one organisation.

    Args:
        vault: the open vault (read-only is enough).
        year: the calendar year.
        taxonomy: the shipped keys, for whole breakdowns and labels (the organisation's own
            units, destinations and measures are added here).
        organisation: the organisation's name; None when the vault holds one (or none).
        threshold: k; None for the organisation's own (`report_threshold` of its rules).

    Raises:
        NotFound: no organisation of that name.
        InvalidInput: several organisations and none chosen, or a year out of range.
    """
    if not 1900 <= year <= 9999:
        raise InvalidInput(_("The year must be a year such as 2025."))
    key: _CacheKey = (str(vault.path), vault.vault_id, year, organisation, threshold, taxonomy)
    with vault.reading() as conn:
        counter = freshness.database_counter(conn)
        cached = _cache.get(key)
        if cached is not None and counter is not None and cached[0] == counter:
            return _fresh_copy(cached[1])
        facts = _read_facts(conn, year, organisation)
    built = _assemble(facts, year, taxonomy, threshold)
    if counter is not None:
        if any(k[:2] != key[:2] or c != counter for k, (c, _built) in _cache.items()):
            _cache.clear()  # another vault, or saved since: never keep stale figures
        while len(_cache) >= _CACHED_REPORTS:
            del _cache[next(iter(_cache))]
        _cache[key] = (counter, built)
    return _fresh_copy(built)


@dataclass(frozen=True)
class _Facts:
    """What a report reads from the vault, in one snapshot."""

    org_id: int | None
    org_name: str | None
    rules: OrganisationRules
    live: dict[int, ReportFigures]
    kept: list[StatRecord]
    work: dict[int, dict[str, tuple[int, int]]]
    earlier: list[stats_repo.PublishedReport]
    same_year: list[stats_repo.PublishedReport]


def _read_facts(conn: Connection, year: int, organisation: str | None) -> _Facts:
    found = organisations_repo.load_all(conn)
    org_id, org_name = _choose_organisation({o.id: o.name for o in found}, organisation)
    own = [o for o in found if o.id == org_id]
    return _Facts(
        org_id=org_id,
        org_name=org_name,
        rules=own[0].rules if own else OrganisationRules(),
        live=stats_counts.live_figures(conn, org_id, (year - 1, year)),
        kept=stats_repo.kept_records(conn, org_id),
        work={y: stats_repo.activity_totals(conn, org_id, y) for y in (year - 1, year)},
        earlier=stats_repo.published(conn, organisation_id=org_id, year=year - 1),
        same_year=stats_repo.published(conn, organisation_id=org_id, year=year),
    )


def _assemble(facts: _Facts, year: int, taxonomy: Taxonomy, threshold: int | None) -> BuiltReport:
    """Counts, suppresses and assembles the report from the facts read (no vault access)."""
    rules, work, earlier = facts.rules, facts.work, facts.earlier
    org_id, org_name, same_year = facts.org_id, facts.org_name, facts.same_year
    if threshold is None:
        threshold = rules.report_threshold
    taxonomy = taxonomy.with_terms(rules.own_terms())
    domains = key_domains(taxonomy)

    def counted(year: int) -> ReportFigures:
        """The live cases' figures (by SQL) and the kept records' (destroyed cases)."""
        return add_figures(facts.live[year], count_year(facts.kept, year, work[year]))

    current = suppress(counted(year), threshold, domains)
    hidden = list(current.hidden)
    if earlier:
        previous = PublishedFigures.from_dict(_figures_of(earlier[-1].document))
        source = PREVIOUS_PUBLISHED
    else:
        before = suppress(counted(year - 1), threshold, domains)
        previous, source = before.published, PREVIOUS_COUNTED
        hidden.extend(before.hidden)
    document_of = partial(
        report_formats.report_document,
        current.published,
        org_name,
        previous,
        recipients=rules.report_recipients,
        due=rules.report_due_on(year),
    )
    internal = document_of(internal=True)
    differs = any(_differ(_figures_of(r.document), _figures_of(internal)) for r in same_year)
    return BuiltReport(
        year=year,
        organisation=org_name,
        organisation_id=org_id,
        document=document_of(),
        hidden=tuple(hidden),
        previous_source=source,
        earlier_differs=differs,
        internal=internal,
        taxonomy=taxonomy,
    )


_HEADING = ("organisation", "recipients", "due", "previous")
"""The fields of a report that are not figures of its own year."""


def year_running(year: int, today: dt.date) -> bool:
    """Whether `year` is not over yet on `today`: a report of it published now misses what is
    still to come, and publishing starts the destruction terms of its closed cases."""
    return year >= today.year


def year_running_warning(year: int) -> str:
    """What the adviser is told before publishing a report of a year that is still running."""
    return _(
        "Warning: {year} is not over yet. A report published now leaves out what is still to "
        "come, and once it is published the cases of {year} that are closed fall due for "
        "destruction."
    ).format(year=year)


def _figures_of(document: Mapping[str, Any]) -> dict[str, Any]:
    """The figures of the report's own year (no organisation, recipients, due, previous)."""
    return {k: v for k, v in document.items() if k not in _HEADING}


def _differ(earlier: Mapping[str, Any], now: Mapping[str, Any]) -> bool:
    """Whether a report published before says other things than this one about the year.

    Only the figures both have are compared: one published before outcomes and activities
    were counted does not differ merely by lacking them.
    """
    return any(now.get(key) != value for key, value in earlier.items())


_KINDS = FIELD_KINDS


def label_function(taxonomy: Taxonomy) -> report_formats.Labels:
    """Gives the reader's label of a key in the interface language (taxonomy, else our own)."""

    def label(field: str, key: str) -> str:
        kind = _KINDS.get(field)
        if kind is not None and taxonomy.is_valid(kind, key):
            return taxonomy.label(kind, key)
        return report_formats.default_label(field, key)

    return label


def render(built: BuiltReport, form: str) -> str:
    """The board's report as text ("md", "csv" or "json"), in the interface language."""
    return report_formats.render(built.document, form, label_function(built.taxonomy))


def hidden_lines(built: BuiltReport) -> list[str]:
    """The adviser's list of what was hidden and why, one line per cell (never for the board)."""
    lines = []
    for item in built.hidden:
        where = item.figure if item.key is None else f"{item.figure}.{item.key}"
        if item.reason == SMALL:
            why = _("a count from 1 to {below}").format(below=built.document["threshold"] - 1)
        elif item.reason in (COMPLEMENT, TOTAL_HIDDEN) and item.protects is not None:
            name, key = item.protects
            protected = name if key is None else f"{name}.{key}"
            why = _("so that {cell} cannot be worked out from the other figures").format(
                cell=protected
            )
        else:
            why = _("the whole breakdown, so that its small counts cannot be worked out")
        lines.append(f"{item.year} {where}: {why}")
    return lines


def write_text(
    text: str, path: Path, vault_path: Path | None = None, *, replace: bool = False
) -> Path:
    """Writes a report file (see `services.exports.write_export`): atomically, private to
    the user, never over the vault or a non-regular file.

    Args:
        text: the rendered report.
        path: the file the adviser named.
        vault_path: the vault's database file (never written over).
        replace: an existing file may be replaced (`--force`, or the adviser said yes).

    Returns:
        The absolute path written.

    Raises:
        InvalidInput: the path is refused or exists (see `exports`).
        StorageError: the file cannot be written; the message says why.
    """
    return write_export(path, text.encode("utf-8"), vault_path=vault_path, replace=replace)


def publish(
    vault: Vault,
    built: BuiltReport,
    form: str,
    today: dt.date,
    write: Callable[[], None] | None = None,
) -> int:
    """Records the report as published and (optionally) writes it out, in one transaction.

    Args:
        vault: the vault, open for writing.
        built: the report.
        form: "md", "csv", "json" or "pdf".
        today: the publication day (kept in the vault only).
        write: called with no arguments to write the file; when it fails the record is
            rolled back, so what is recorded is what went out.

    Returns:
        The id of the published record.
    """
    with vault.transaction() as conn:
        if not stats_repo.has_report_tables(conn):
            raise InvalidInput(
                _("This vault needs an upgrade. Open it once in Confidant, then try again.")
            )
        report_id = stats_repo.insert_published(
            conn,
            year=built.year,
            organisation_id=built.organisation_id,
            published_on=today,
            threshold=int(built.document["threshold"]),
            form=form,
            document=built.internal,
        )
        audit_acts.append(vault, conn, "export.report_published", detail=form)
        if write is not None:
            write()
    return report_id


def write_draft(vault: Vault, form: str, write: Callable[[], None]) -> None:
    """Writes a draft report (not recorded as published) and records the export in the
    audit log: a read-only process (the app is open) leaves its entry for the next writer.

    Args:
        vault: the vault the report was built from (read-only or not).
        form: "md", "csv", "json" or "pdf".
        write: writes the file; nothing is recorded when it fails.
    """
    write()
    audit_acts.note(vault, "export.report", detail=form)


def list_published(
    vault: Vault, organisation: str | None = None
) -> list[stats_repo.PublishedReport]:
    """The reports published so far (oldest first), of one organisation or of all."""
    with vault.reading() as conn:
        org_id = None
        if organisation is not None:
            org_id, _name = _choose_organisation(stats_repo.organisation_names(conn), organisation)
        return stats_repo.published(conn, organisation_id=org_id)
