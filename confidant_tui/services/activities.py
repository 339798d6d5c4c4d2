"""Provides the use cases of the adviser's work outside cases: record, change, delete, list.

Each use case is one transaction. The organisation is named by its name: it must exist, and
a new entry (or one moved to another organisation) must be for an active one, as new cases
must. The rules of an entry are `domain.activities`; the yearly report reads the table itself.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, replace

from confidant_tui.display_text import visible
from confidant_tui.domain.activities import (
    Activity,
    ActivityFilter,
    KindTotal,
    activity_problems,
    clean_subject,
)
from confidant_tui.domain.case_rules import Problem, raise_if_any
from confidant_tui.domain.organisation import Organisation
from confidant_tui.domain.taxonomy import Taxonomy
from confidant_tui.errors import NotFound
from confidant_tui.i18n import _
from confidant_tui.services import audit_acts
from confidant_tui.vault import activities_repo as repo
from confidant_tui.vault import organisations_repo
from confidant_tui.vault.store import Vault


@dataclass(frozen=True)
class ActivityOverview:
    """What the list shows for one filter, read in one snapshot.

    Attributes:
        activities: the entries, newest first.
        totals: count and minutes per kind of those entries.
        years: every year that has entries, newest first (for the year filter).
    """

    activities: list[Activity]
    totals: list[KindTotal]
    years: list[int]

    @property
    def minutes(self) -> int:
        """The minutes of every listed entry together."""
        return sum(total.minutes for total in self.totals)


def add_activity(vault: Vault, activity: Activity, *, today: dt.date, taxonomy: Taxonomy) -> int:
    """Records a piece of work outside cases; returns its id.

    Raises:
        ValidationError: a rule is broken, or the organisation is unknown or archived.
    """
    cleaned = _cleaned(activity)
    with vault.transaction() as conn:
        org_id, problems = _organisation(
            organisations_repo.load_all(conn), cleaned.organisation, keep=None
        )
        raise_if_any(problems + activity_problems(cleaned, taxonomy, today))
        assert org_id is not None
        activity_id = repo.insert(conn, org_id, cleaned)
        audit_acts.append(vault, conn, "activity.recorded")
        return activity_id


def update_activity(
    vault: Vault, activity_id: int, activity: Activity, *, today: dt.date, taxonomy: Taxonomy
) -> None:
    """Replaces the entry `activity_id` with `activity`.

    An entry of an archived organisation can still be corrected; it cannot be moved to one.

    Raises:
        NotFound: there is no such entry.
        ValidationError: a rule is broken, or the organisation is unknown or archived.
    """
    cleaned = _cleaned(activity)
    with vault.transaction() as conn:
        current = repo.get(conn, activity_id)
        if current is None:
            raise _not_found()
        org_id, problems = _organisation(
            organisations_repo.load_all(conn), cleaned.organisation, keep=current.organisation
        )
        raise_if_any(problems + activity_problems(cleaned, taxonomy, today))
        assert org_id is not None
        repo.update(conn, activity_id, org_id, cleaned)
        audit_acts.append(vault, conn, "activity.changed")


def delete_activity(vault: Vault, activity_id: int) -> None:
    """Deletes the entry `activity_id`.

    Raises:
        NotFound: there is no such entry.
    """
    with vault.transaction() as conn:
        if not repo.delete(conn, activity_id):
            raise _not_found()
        audit_acts.append(vault, conn, "activity.deleted")


def get_activity(vault: Vault, activity_id: int) -> Activity:
    """The entry `activity_id`.

    Raises:
        NotFound: there is no such entry.
    """
    with vault.reading() as conn:
        found = repo.get(conn, activity_id) if repo.has_table(conn) else None
    if found is None:
        raise _not_found()
    return found


def list_activities(vault: Vault, found: ActivityFilter | None = None) -> list[Activity]:
    """The entries `found` selects (every entry by default), newest first."""
    with vault.reading() as conn:
        return repo.select(conn, found or ActivityFilter()) if repo.has_table(conn) else []


def overview(vault: Vault, found: ActivityFilter | None = None) -> ActivityOverview:
    """The entries `found` selects, their totals per kind and the years with entries."""
    chosen = found or ActivityFilter()
    with vault.reading() as conn:
        if not repo.has_table(conn):
            return ActivityOverview([], [], [])
        return ActivityOverview(
            repo.select(conn, chosen), repo.totals(conn, chosen), repo.years(conn)
        )


def _cleaned(activity: Activity) -> Activity:
    return replace(activity, subject=clean_subject(activity.subject), notes=activity.notes or None)


def _organisation(
    organisations: Iterable[Organisation], name: str, *, keep: str | None
) -> tuple[int | None, list[Problem]]:
    """The id of the organisation called `name` and what is wrong with choosing it.

    Args:
        organisations: every organisation of the vault.
        name: the organisation's name.
        keep: the organisation the entry has now (it may stay with it when archived).
    """
    for organisation in organisations:
        if organisation.name != name:
            continue
        if not organisation.active and name != keep:
            message = _("The organisation '{name}' is archived; choose an active one.")
            return organisation.id, [("organisation", message.format(name=visible(name)))]
        return organisation.id, []
    message = _("There is no organisation called '{name}' in the vault.")
    return None, [("organisation", message.format(name=visible(name)))]


def _not_found() -> NotFound:
    return NotFound(_("This entry no longer exists; it may have been deleted."))


__all__ = [
    "Activity",
    "ActivityFilter",
    "ActivityOverview",
    "KindTotal",
    "add_activity",
    "delete_activity",
    "get_activity",
    "list_activities",
    "overview",
    "update_activity",
]
