"""Provides the organisation use cases: list, add, edit, archive, and settle an opened vault.

Every organisation of the vault has its own rules (`domain.organisation`). The app and the
command line call `settle` right after opening a vault for writing: it moves the
organisation values of a 0.1.x settings file into the vault once (then takes them out of
the file, so nothing naming an organisation stays outside the vault), and makes sure the
vault has an organisation for new cases.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from confidant_tui import settings as settings_file
from confidant_tui.display_text import visible
from confidant_tui.domain.organisation import (
    Organisation,
    OrganisationRules,
    Unit,
    check_escalation,
    check_name,
    rules_from_dict,
    taxonomy_for,
)
from confidant_tui.domain.taxonomy import Taxonomy
from confidant_tui.errors import InvalidInput, NotFound, StorageError
from confidant_tui.i18n import _
from confidant_tui.services import audit_acts
from confidant_tui.services.cases import load_taxonomy
from confidant_tui.vault import organisations_repo as repo
from confidant_tui.vault.store import Vault


@dataclass(frozen=True)
class OrganisationEntry:
    """An organisation with the number of its cases (for the list screen and `list`)."""

    organisation: Organisation
    cases: int


def list_organisations(vault: Vault) -> list[Organisation]:
    """Every organisation of the vault, active first, then by name."""
    with vault.reading() as conn:
        return repo.load_all(conn)


def overview(vault: Vault) -> list[OrganisationEntry]:
    """Every organisation with its number of cases."""
    with vault.reading() as conn:
        counts = repo.case_counts(conn)
        return [OrganisationEntry(o, counts.get(o.id, 0)) for o in repo.load_all(conn)]


def taxonomy(organisations: Iterable[Organisation]) -> Taxonomy:
    """The shipped taxonomy plus the own units, destinations and measures of `organisations`."""
    return taxonomy_for(load_taxonomy(), organisations)


def find(organisations: Iterable[Organisation], name: str) -> Organisation:
    """The organisation called `name` among `organisations`.

    Raises:
        NotFound: there is none of that name.
    """
    for organisation in organisations:
        if organisation.name == name:
            return organisation
    raise NotFound(
        _("There is no organisation called '{name}' in the vault.").format(name=visible(name))
    )


def get_organisation(vault: Vault, name: str) -> Organisation:
    """The organisation called `name`.

    Raises:
        NotFound: there is none of that name.
    """
    return find(list_organisations(vault), name)


def default_organisation(organisations: Iterable[Organisation]) -> Organisation | None:
    """The organisation new cases get when the adviser or the file names none."""
    return next((o for o in organisations if o.is_default), None)


def _checked_rules(
    changes: Mapping[str, Any], base: OrganisationRules | None = None
) -> OrganisationRules:
    rules = rules_from_dict(changes, base)
    check_escalation(rules, load_taxonomy())
    return rules


def add_organisation(
    vault: Vault, name: str, changes: Mapping[str, Any] | None = None
) -> Organisation:
    """Adds an organisation with the default rules changed by `changes` (the JSON form).

    Raises:
        InvalidInput: a wrong name or rule, or the name is taken.
    """
    clean = check_name(name)
    rules = _checked_rules(changes or {})
    with vault.transaction() as conn:
        if repo.id_by_name(conn, clean) is not None:
            raise InvalidInput(
                _("There is already an organisation called '{name}'.").format(name=visible(clean))
            )
        org_id = repo.insert(conn, clean, rules)
        audit_acts.append(vault, conn, "organisation.added")
        organisations = repo.load_all(conn)
    return next(o for o in organisations if o.id == org_id)


def edit_organisation(
    vault: Vault,
    name: str,
    changes: Mapping[str, Any],
    *,
    new_name: str | None = None,
    make_default: bool = False,
) -> Organisation:
    """Changes an organisation's rules (and name); rules absent from `changes` stay.

    Args:
        vault: the vault, open for writing.
        name: its current name.
        changes: rule name -> new value (the JSON form of `domain.organisation`).
        new_name: a new name, or None to keep it.
        make_default: make it the organisation of new and imported cases.

    Raises:
        NotFound: no organisation of that name.
        InvalidInput: a wrong rule or name, or the new name is taken.
    """
    with vault.transaction() as conn:
        current = find(repo.load_all(conn), name)
        rules = _checked_rules(changes, current.rules)
        clean = current.name if new_name is None else check_name(new_name)
        other = repo.id_by_name(conn, clean)
        if other is not None and other != current.id:
            raise InvalidInput(
                _("There is already an organisation called '{name}'.").format(name=visible(clean))
            )
        repo.update(conn, current.id, clean, rules)
        if make_default:
            if not current.active:
                raise InvalidInput(_("An archived organisation cannot be the default."))
            repo.set_default(conn, current.id)
        audit_acts.append(vault, conn, "organisation.changed")
        return find(repo.load_all(conn), clean)


def set_archived(vault: Vault, name: str, *, archived: bool, today: dt.date) -> Organisation:
    """Archives an organisation (it keeps its cases and reports; no new cases), or brings
    it back.

    Raises:
        NotFound: no organisation of that name.
        InvalidInput: it is the last active organisation.
    """
    with vault.transaction() as conn:
        organisations = repo.load_all(conn)
        current = find(organisations, name)
        if archived and current.active and sum(o.active for o in organisations) == 1:
            raise InvalidInput(
                _("This is the only active organisation; add another one before archiving it.")
            )
        repo.set_archived(conn, current.id, today if archived else None)
        detail = "archived" if archived else "active"
        audit_acts.append(vault, conn, "organisation.changed", detail=detail)
        return find(repo.load_all(conn), name)


# -- settling an opened vault ------------------------------------------------------------


def settle(
    vault: Vault, *, default_name: str, moment: dt.datetime, settings_path: Path | None = None
) -> list[Organisation]:
    """Moves a 0.1.x settings file's organisation values into the vault (once) and makes
    sure there is an active organisation; returns every organisation.

    The vault is written first, the settings file after: when the file cannot be rewritten
    the values are in the vault already, the vault remembers it took them, and the next
    open only tries the file again.

    Args:
        vault: the vault, open for writing.
        default_name: the name of the organisation made when the vault has none.
        moment: now (kept with the record that the settings were taken in).
        settings_path: the settings file (default: the platform's).

    Raises:
        InvalidInput: the settings file cannot be read or holds a mistake.
    """
    legacy = settings_file.legacy_values(settings_path)
    with vault.transaction() as conn:
        if legacy and not repo.settings_adopted(conn):
            name = legacy.get("organisation", LEGACY_DEFAULT_NAME)
            org_id = repo.id_by_name(conn, name)
            if org_id is None:
                org_id = repo.insert(conn, name, _adopted_rules(OrganisationRules(), legacy))
                audit_acts.append(vault, conn, "organisation.added", at=moment)
            else:
                current = find(repo.load_all(conn), name).rules
                repo.update(conn, org_id, name, _adopted_rules(current, legacy))
                audit_acts.append(vault, conn, "organisation.changed", at=moment)
            repo.set_default(conn, org_id)
            repo.mark_settings_adopted(conn, moment.isoformat(timespec="minutes"))
        organisations = repo.load_all(conn)
        if not any(o.active for o in organisations):
            org_id = repo.insert(conn, default_name, OrganisationRules())
            repo.set_default(conn, org_id)
            audit_acts.append(vault, conn, "organisation.added", at=moment)
            organisations = repo.load_all(conn)
    if legacy:
        # the vault has them now; when the file cannot be rewritten it is tried next time
        with contextlib.suppress(InvalidInput, StorageError):
            settings_file.drop_legacy(settings_path)
    return organisations


LEGACY_DEFAULT_NAME = "Mijn organisatie"
"""The organisation's name in a 0.1.x settings file that did not set one (its default)."""


def _adopted_rules(current: OrganisationRules, legacy: Mapping[str, Any]) -> OrganisationRules:
    """`current` with the values of a 0.1.x settings file (its extra levels become units,
    labelled by their key as 0.1.x showed them)."""
    shipped = set(load_taxonomy().keys("level"))
    known = {unit.key for unit in current.units}
    units = current.units + tuple(
        Unit(key, key)
        for key in legacy.get("extra_levels", [])
        if key not in shipped and key not in known
    )
    return replace(
        current,
        units=units,
        report_threshold=legacy.get("report_threshold", current.report_threshold),
        complaint_period_years=legacy.get("complaint_period_years", current.complaint_period_years),
        report_due=legacy.get("report_due", current.report_due),
    )


__all__ = [
    "InvalidInput",
    "NotFound",
    "Organisation",
    "OrganisationEntry",
    "OrganisationRules",
    "add_organisation",
    "default_organisation",
    "edit_organisation",
    "find",
    "get_organisation",
    "list_organisations",
    "overview",
    "set_archived",
    "settle",
    "taxonomy",
]
