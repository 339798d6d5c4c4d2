"""Work outside cases on real encrypted files: stored, listed newest first, filtered,
totalled, changed and deleted, each in one transaction that checks the rules first."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import pytest

from confidant_tui.domain.activities import Activity, ActivityFilter, KindTotal
from confidant_tui.errors import NotFound, ValidationError
from confidant_tui.services import activities, organisations
from confidant_tui.vault.store import Vault
from tests.conftest import ORGANISATION, PASSPHRASE, TAXONOMY

TODAY = dt.date(2026, 11, 23)
D = dt.date


@pytest.fixture
def orgs(vault: Vault) -> Vault:
    """The vault with the default organisation and a second, archived one."""
    organisations.settle(vault, default_name=ORGANISATION, moment=dt.datetime(2026, 11, 23, 9, 0))
    organisations.add_organisation(vault, "Oud bestuur")
    organisations.set_archived(vault, "Oud bestuur", archived=True, today=TODAY)
    return vault


def entry(**changes: object) -> Activity:
    base = Activity(ORGANISATION, "supervision", D(2026, 3, 1), 90, "Intervisie", "Notulen")
    return replace(base, **changes)  # type: ignore[arg-type]


def add(vault: Vault, activity: Activity) -> int:
    return activities.add_activity(vault, activity, today=TODAY, taxonomy=TAXONOMY)


def test_an_entry_survives_closing_and_reopening_the_vault(orgs: Vault, vault_path: Path) -> None:
    activity_id = add(orgs, entry(subject="  [bold]x[/bold]  ", notes="regel 1\nregel 2 ␛"))
    orgs.close()
    with Vault.open(vault_path, PASSPHRASE) as reopened:
        stored = activities.get_activity(reopened, activity_id)
    assert stored == entry(subject="[bold]x[/bold]", notes="regel 1\nregel 2 ␛", id=activity_id)


def test_the_list_is_newest_first_and_filters_by_organisation_year_and_kind(orgs: Vault) -> None:
    organisations.add_organisation(orgs, "Tweede")
    a = add(orgs, entry(date=D(2025, 5, 1), subject="a"))
    b = add(orgs, entry(date=D(2026, 2, 1), kind="training", subject="b"))
    c = add(orgs, entry(date=D(2026, 2, 1), organisation="Tweede", subject="c", minutes=30))
    d = add(orgs, entry(date=D(2026, 9, 1), subject="d", minutes=0))

    def ids(found: ActivityFilter | None = None) -> list[int | None]:
        return [x.id for x in activities.list_activities(orgs, found)]

    assert ids() == [d, c, b, a]  # same date: the latest entered first
    assert ids(ActivityFilter.for_year(2026)) == [d, c, b]
    assert ids(ActivityFilter.for_year(2026, ORGANISATION)) == [d, b]
    assert ids(ActivityFilter(kind="training")) == [b]
    assert ids(ActivityFilter.for_year(2024)) == []

    view = activities.overview(orgs, ActivityFilter.for_year(2026))
    assert [x.id for x in view.activities] == [d, c, b]
    assert view.totals == [KindTotal("supervision", 2, 30), KindTotal("training", 1, 90)]
    assert view.minutes == 120
    assert view.years == [2026, 2025]


def test_a_new_entry_needs_an_existing_active_organisation(orgs: Vault) -> None:
    with pytest.raises(ValidationError) as unknown:
        add(orgs, entry(organisation="Bestaat niet"))
    assert [p[0] for p in unknown.value.problems] == ["organisation"]
    with pytest.raises(ValidationError) as archived:
        add(orgs, entry(organisation="Oud bestuur"))
    assert [p[0] for p in archived.value.problems] == ["organisation"]
    assert activities.list_activities(orgs) == []


def test_every_problem_is_reported_and_nothing_is_stored(orgs: Vault) -> None:
    bad = entry(organisation="Oud bestuur", kind="gossip", date=D(2027, 1, 1), minutes=2000)
    with pytest.raises(ValidationError) as raised:
        add(orgs, bad)
    assert [p[0] for p in raised.value.problems] == [
        "organisation",
        "kind",
        "date",
        "minutes",
    ]
    assert activities.list_activities(orgs) == []


def test_an_entry_is_changed_in_place(orgs: Vault) -> None:
    activity_id = add(orgs, entry())
    changed = entry(
        kind="consultation", date=D(2026, 4, 2), minutes=15, subject="Overleg", notes=None
    )
    activities.update_activity(orgs, activity_id, changed, today=TODAY, taxonomy=TAXONOMY)
    assert activities.list_activities(orgs) == [replace(changed, id=activity_id)]
    with pytest.raises(ValidationError):
        activities.update_activity(
            orgs, activity_id, replace(changed, subject=""), today=TODAY, taxonomy=TAXONOMY
        )
    assert activities.get_activity(orgs, activity_id).subject == "Overleg"


def test_an_entry_of_an_archived_organisation_can_be_corrected_but_not_moved_there(
    orgs: Vault,
) -> None:
    kept = add(orgs, entry())
    organisations.set_archived(orgs, "Oud bestuur", archived=False, today=TODAY)
    old = add(orgs, entry(organisation="Oud bestuur"))
    organisations.set_archived(orgs, "Oud bestuur", archived=True, today=TODAY)
    activities.update_activity(
        orgs, old, entry(organisation="Oud bestuur", minutes=5), today=TODAY, taxonomy=TAXONOMY
    )
    assert activities.get_activity(orgs, old).minutes == 5
    with pytest.raises(ValidationError):
        activities.update_activity(
            orgs, kept, entry(organisation="Oud bestuur"), today=TODAY, taxonomy=TAXONOMY
        )
    assert activities.get_activity(orgs, kept).organisation == ORGANISATION


def test_deleting_removes_the_entry_and_a_missing_one_is_not_found(orgs: Vault) -> None:
    first = add(orgs, entry(subject="een"))
    second = add(orgs, entry(subject="twee"))
    activities.delete_activity(orgs, first)
    assert [x.id for x in activities.list_activities(orgs)] == [second]
    with pytest.raises(NotFound):
        activities.delete_activity(orgs, first)
    with pytest.raises(NotFound):
        activities.update_activity(orgs, first, entry(), today=TODAY, taxonomy=TAXONOMY)
    with pytest.raises(NotFound):
        activities.get_activity(orgs, first)
