"""Provides the case use cases: open a case, read it, list cases, and record what happens.

The UI and the command line call these; each write is one transaction and each is checked
against the domain rules first (`domain.case_rules`), raising `ValidationError` with
(field, message) problems for the adviser. The caller passes `today` and the taxonomy
(the app from its context, the command line from `cli.common.command_context`): nothing here
reads the system clock or the settings file.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import TypeVar

from confidant_tui.domain import case_rules as rules
from confidant_tui.domain.case_rules import Problem
from confidant_tui.domain.cases import (
    Case,
    CaseFacts,
    CaseFilter,
    CaseSummary,
    Conversation,
    ConversationVersion,
    Identity,
    Intake,
    Referral,
    Route,
    StatusChange,
)
from confidant_tui.domain.organisation import Organisation
from confidant_tui.domain.taxonomy import Taxonomy
from confidant_tui.errors import NotFound, ValidationError
from confidant_tui.i18n import _
from confidant_tui.services import audit_acts
from confidant_tui.services.shipped_taxonomy import load_taxonomy
from confidant_tui.vault import cases_query, cases_repo, freshness, organisations_repo
from confidant_tui.vault.cases_query import CaseRef
from confidant_tui.vault.store import Connection, Vault

_Record = TypeVar("_Record", Conversation, Route, Referral)
_Stored = TypeVar("_Stored")
_Target = TypeVar("_Target", bound=CaseRef)


def _record_on_case(
    vault: Vault,
    locate: Callable[[Connection, _Target], tuple[int, dt.date]],
    target: _Target,
    record: _Record,
    problems: Callable[[_Record, Taxonomy, dt.date, dt.date], Sequence[Problem]],
    store: Callable[[Connection, int, _Record], _Stored],
    *,
    today: dt.date,
    taxonomy: Taxonomy,
    audit: tuple[str, Callable[[Connection, int], int | None]],
) -> _Stored:
    """Records something on a case, the one way: in one transaction, find the case and its
    opening date, check the record against its rule for that date, store it.

    Args:
        vault: the open vault.
        locate: the repository's look-up, `(conn, target) -> (id, opened)`: the id `store`
            takes and the opening date of the case; raises `NotFound`.
        target: the case (id or code), or the id of the record being replaced.
        record: the conversation, route or referral.
        problems: the domain rule, `(record, taxonomy, opened, today) -> problems`.
        store: the repository's write, `(conn, id, record) -> result`.
        today: the adviser's today.
        taxonomy: the keys.
        audit: the act's audit action and the look-up of its case, `(conn, id) -> case
            id` (the entry names the case's code).

    Returns:
        What `store` returns (the new id, the new version, or None).

    Raises:
        NotFound: `locate` found nothing. ValidationError: the record breaks its rule.
    """
    with vault.transaction() as conn:
        key, opened = locate(conn, target)
        rules.raise_if_any(problems(record, taxonomy, opened, today))
        stored = store(conn, key, record)
        action, case_of = audit
        case_id = case_of(conn, key)
        code = cases_query.case_code(conn, case_id) if case_id is not None else None
        audit_acts.append(vault, conn, action, case_code=code)
        return stored


def _same(conn: Connection, case_id: int) -> int:
    """The look-up of a record's case when the record is stored under its case's id."""
    return case_id


# -- opening and reading -----------------------------------------------------------------


def create_case(
    vault: Vault,
    intake: Intake,
    *,
    today: dt.date,
    taxonomy: Taxonomy,
    default_organisation: str,
) -> Case:
    """Opens a new case from an intake.

    Args:
        vault: the open vault.
        intake: what the adviser recorded; `intake.code` None numbers the case per year.
        today: the adviser's today.
        taxonomy: the keys.
        default_organisation: used when `intake.facts.organisation` is None (the setting
            `organisation`).

    Returns:
        The stored case (without identity).

    Raises:
        ValidationError: the intake breaks a rule, or its code is already used.
        NotFound: `intake.reporter_id` names no reporter.
    """
    rules.raise_if_any(rules.intake_problems(intake, taxonomy, today))
    organisation = intake.facts.organisation or default_organisation
    with vault.transaction() as conn:
        if intake.reporter_id is not None and not cases_repo.reporter_exists(
            conn, intake.reporter_id
        ):
            raise NotFound(_("The returning reporter was not found."))
        code = intake.code
        if code is None:
            code = cases_repo.format_code(
                intake.opened.year, cases_repo.max_seq(conn, intake.opened.year) + 1
            )
        elif cases_repo.existing_codes(conn, [code]):
            rules.raise_if_any(
                [("code", _("The code {code} is already used in the vault.").format(code=code))]
            )
        found = _check_organisation(conn, organisation, must_exist=False)
        rules.raise_if_any(_level_problems(intake.facts.level, found))
        case_id = cases_repo.insert_case(conn, intake, code=code, organisation=organisation)
        audit_acts.append(vault, conn, "case.created", case_code=code)
        return cases_query.existing_case(conn, case_id)


def _check_organisation(conn: Connection, name: str, *, must_exist: bool) -> Organisation | None:
    """New cases, and cases moved by editing their facts, go only to an active organisation.

    Returns:
        The organisation, or None when it is not in the vault yet (it is made with the case).

    Raises:
        ValidationError: `name` is archived (or, with `must_exist`, not in the vault).
    """
    found = _organisation_named(conn, name)
    if (found is None and must_exist) or (found is not None and not found.active):
        rules.raise_if_any(
            [("organisation", _("A case can only belong to an active organisation."))]
        )
    return found


def _organisation_named(conn: Connection, name: str | None) -> Organisation | None:
    return next((o for o in organisations_repo.load_all(conn) if o.name == name), None)


def _level_problems(level: str | None, organisation: Organisation | None) -> list[Problem]:
    """A case's level is a shipped one or one of its own organisation's units: the taxonomy
    the screens pass knows every organisation's units, so another's must be refused here."""
    if level is None or load_taxonomy().is_valid("level", level):
        return []
    if organisation is not None and level in {unit.key for unit in organisation.rules.units}:
        return []
    return [("level", _("This level is not one of the organisation's units."))]


def get_case(vault: Vault, case: CaseRef) -> Case:
    """The full case (facts, people, status, conversations, routes, referrals), no identity.

    Raises:
        NotFound: no such case.
    """
    with vault.reading() as conn:
        return cases_query.existing_case(conn, case)


def reveal_identity(vault: Vault, case: CaseRef) -> Identity:
    """The reporter's name and contact, shown only when the adviser asks for them."""
    with vault.reading() as conn:
        return cases_repo.identity_of_case(conn, cases_query.resolve_case(conn, case))


def identity_recorded(vault: Vault, case: CaseRef) -> bool:
    """Whether the reporter's identity is on record, without reading it (a dialog can say
    "recorded, hidden" before the adviser asks to see it)."""
    with vault.reading() as conn:
        return cases_repo.identity_recorded(conn, cases_query.resolve_case(conn, case))


def set_identity(vault: Vault, case: CaseRef, identity: Identity) -> None:
    """Records (or, with an empty `Identity`, erases) the reporter's identity."""
    rules.raise_if_any(rules.identity_problems(identity))
    with vault.transaction() as conn:
        case_id = cases_query.resolve_case(conn, case)
        reporter_id = cases_repo.opened_and_reporter(conn, case_id)[1]
        cases_repo.set_identity(conn, reporter_id, identity)
        audit_acts.append(
            vault, conn, "case.identity_changed", case_code=cases_query.case_code(conn, case_id)
        )


def list_cases(vault: Vault, selection: CaseFilter | None = None) -> list[CaseSummary]:
    """One page of the home list (no notes are read). See `CaseFilter`."""
    with vault.reading() as conn:
        return cases_query.summaries(conn, selection or CaseFilter())


def list_cases_after(vault: Vault, selection: CaseFilter, after: int) -> list[CaseSummary]:
    """The page that follows the case `after` in the filter's order: the same rows as
    `list_cases` at the offset after that case, read by seeking in the sort's index (so the
    last page of 50,000 costs what the first does).

    Raises:
        NotFound: the case `after` is gone (start again from the top, or by offset).
    """
    with vault.reading() as conn:
        return cases_query.summaries_after(conn, selection, after)


def newest_case_id(vault: Vault) -> int:
    """The id of the case made last (0 when there is none): the case list puts its cursor
    on a case made since it last looked."""
    with vault.reading() as conn:
        return cases_query.newest_case_id(conn)


def vault_version(vault: Vault) -> int | None:
    """The vault's commit counter, which every saved change moves on: a reader may keep what
    it worked out from the vault while this stays the same (None: a vault from before the
    counter, whose readers keep nothing)."""
    with vault.reading() as conn:
        return freshness.database_counter(conn)


def count_cases(vault: Vault, selection: CaseFilter | None = None) -> int:
    """How many cases match the filter (its paging ignored)."""
    with vault.reading() as conn:
        return cases_query.count(conn, selection or CaseFilter())


def list_organisations(vault: Vault) -> list[str]:
    """The organisations that have cases (or had), sorted by name."""
    with vault.reading() as conn:
        return cases_repo.organisations(conn)


# -- recording what happens --------------------------------------------------------------


def update_facts(
    vault: Vault,
    case: CaseRef,
    facts: CaseFacts,
    *,
    today: dt.date,
    taxonomy: Taxonomy,
) -> Case:
    """Replaces the editable facts (categories and people included).

    `facts.organisation` None keeps the case's organisation; another name moves the case,
    but only to an active organisation of the vault.
    """
    with vault.transaction() as conn:
        current = cases_query.existing_case(conn, case)
        rules.raise_if_any(rules.facts_problems(facts, taxonomy, current.opened, today))
        if facts.organisation is not None and facts.organisation != current.facts.organisation:
            found = _check_organisation(conn, facts.organisation, must_exist=True)
        else:
            found = _organisation_named(conn, current.facts.organisation)
        rules.raise_if_any(_level_problems(facts.level, found))
        cases_repo.write_facts(conn, current.id, facts, organisation=facts.organisation)
        audit_acts.append(vault, conn, "case.changed", case_code=current.code)
        return cases_query.existing_case(conn, current.id)


def change_status(
    vault: Vault, case: CaseRef, status: str, date: dt.date, *, today: dt.date
) -> Case:
    """Records a change of status (open, aftercare, closed) on a date.

    Raises:
        ValidationError: unknown status, the same status again, a date in the future,
            before the opening or before the last change.
    """
    with vault.transaction() as conn:
        current = cases_query.existing_case(conn, case)
        history = (*current.status_history, StatusChange(status, date))
        last = f"status[{len(history) - 1}]"
        problems = [
            (path[len(last) + 1 :] or "status", message)
            for path, message in rules.status_problems(history, current.opened, today)
            if path.startswith(last)
        ]
        rules.raise_if_any(problems)
        cases_repo.insert_status(conn, current.id, history[-1])
        if status == "closed":
            audit_acts.append(vault, conn, "case.closed", case_code=current.code)
        else:
            audit_acts.append(vault, conn, "case.status", case_code=current.code, detail=status)
        return cases_query.existing_case(conn, current.id)


def add_conversation(
    vault: Vault,
    case: CaseRef,
    conversation: Conversation,
    *,
    today: dt.date,
    taxonomy: Taxonomy,
) -> int:
    """Records a conversation; returns its id."""
    return _record_on_case(
        vault,
        cases_query.case_and_opening,
        case,
        conversation,
        rules.conversation_problems,
        cases_repo.insert_conversation,
        today=today,
        taxonomy=taxonomy,
        audit=("conversation.added", _same),
    )


def edit_conversation(
    vault: Vault,
    conversation_id: int,
    conversation: Conversation,
    *,
    today: dt.date,
    taxonomy: Taxonomy,
) -> Conversation:
    """Replaces a conversation; changed texts keep the earlier version (see
    `conversation_versions`). Returns the conversation as stored now."""
    version = _record_on_case(
        vault,
        cases_query.conversation_and_opening,
        conversation_id,
        conversation,
        rules.conversation_problems,
        functools.partial(cases_repo.update_conversation, replaced_on=today),
        today=today,
        taxonomy=taxonomy,
        audit=("conversation.edited", cases_repo.conversation_case),
    )
    return replace(conversation, id=conversation_id, version=version)


def conversation_versions(vault: Vault, conversation_id: int) -> list[ConversationVersion]:
    """The earlier texts of a conversation, oldest first (empty when never edited)."""
    with vault.reading() as conn:
        cases_query.existing_conversation_case(conn, conversation_id)
        return cases_repo.conversation_versions(conn, conversation_id)


def add_route(
    vault: Vault,
    case: CaseRef,
    route: Route,
    *,
    today: dt.date,
    taxonomy: Taxonomy,
) -> int:
    """Records a route the reporter takes; returns its id."""
    return _record_on_case(
        vault,
        cases_query.case_and_opening,
        case,
        route,
        rules.route_problems,
        cases_repo.insert_route,
        today=today,
        taxonomy=taxonomy,
        audit=("route.added", _same),
    )


def update_route(
    vault: Vault,
    route_id: int,
    route: Route,
    *,
    today: dt.date,
    taxonomy: Taxonomy,
) -> None:
    """Replaces a route's key, start date and milestones (filed, acknowledged, ...)."""
    _record_on_case(
        vault,
        cases_query.route_and_opening,
        route_id,
        route,
        rules.route_problems,
        cases_repo.update_route,
        today=today,
        taxonomy=taxonomy,
        audit=("route.changed", cases_repo.route_case),
    )


def add_referral(
    vault: Vault,
    case: CaseRef,
    referral: Referral,
    *,
    today: dt.date,
    taxonomy: Taxonomy,
) -> int:
    """Records a referral to other help; returns its id."""
    return _record_on_case(
        vault,
        cases_query.case_and_opening,
        case,
        referral,
        rules.referral_problems,
        cases_repo.insert_referral,
        today=today,
        taxonomy=taxonomy,
        audit=("referral.added", _same),
    )


__all__ = [
    "CaseRef",
    "ValidationError",
    "add_conversation",
    "add_referral",
    "add_route",
    "change_status",
    "conversation_versions",
    "count_cases",
    "create_case",
    "edit_conversation",
    "get_case",
    "list_cases",
    "list_organisations",
    "load_taxonomy",
    "reveal_identity",
    "set_identity",
    "update_facts",
    "update_route",
    "vault_version",
]
