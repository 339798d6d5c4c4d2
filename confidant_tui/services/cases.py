"""Provides the case use cases: open a case, read it, list cases, and record what happens.

The UI and the command line call these; each write is one transaction and each is checked
against the domain rules first (`domain.case_rules`), raising `ValidationError` with
(field, message) problems for the adviser. `today` is a parameter everywhere (default: the
system date) so that tests are deterministic.
"""

from __future__ import annotations

import datetime as dt
import functools
import tomllib
from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from confidant_tui.domain import case_rules as rules
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
from confidant_tui.domain.taxonomy import Taxonomy, parse_taxonomy
from confidant_tui.errors import NotFound, ValidationError
from confidant_tui.i18n import _
from confidant_tui.resources import data_file
from confidant_tui.settings import load_settings
from confidant_tui.vault import cases_query, cases_repo
from confidant_tui.vault.store import Connection, Vault

CaseRef = int | str
"""A case named by its id or its code."""


@functools.cache
def _taxonomy_document() -> dict[str, Any]:
    return tomllib.loads(data_file("taxonomy.toml").read_text(encoding="utf-8"))


def load_taxonomy(extra_levels: Iterable[str] | None = None) -> Taxonomy:
    """The shipped taxonomy plus the organisation's own levels.

    Args:
        extra_levels: extra level keys; None reads them from the settings.
    """
    if extra_levels is None:
        extra_levels = load_settings().extra_levels
    return parse_taxonomy(_taxonomy_document(), extra_levels)


def today_or_system(today: dt.date | None) -> dt.date:
    """The given "today", else the system date (the clock is injectable for tests)."""
    return today or dt.date.today()


def organisation_or_default(name: str | None) -> str:
    """The given organisation's name, else the one of the settings."""
    return name if name is not None else load_settings().organisation


def resolve_case(conn: Connection, case: CaseRef) -> int:
    """The id of a case named by id or code.

    Raises:
        NotFound: no such case.
    """
    if isinstance(case, str):
        case_id = cases_repo.case_id_for_code(conn, case)
    else:
        case_id = case if cases_repo.case_exists(conn, case) else None
    if case_id is None:
        raise NotFound(_("There is no case {case}.").format(case=rules.shown(case)))
    return case_id


def _opened(conn: Connection, case: CaseRef) -> tuple[int, dt.date]:
    """The case id and opening date: what the rules for conversations, routes and
    referrals check, read without loading the case's notes."""
    case_id = resolve_case(conn, case)
    return case_id, cases_repo.opened_and_reporter(conn, case_id)[0]


def _load(conn: Connection, case: CaseRef) -> Case:
    loaded = cases_repo.load_case(conn, resolve_case(conn, case))
    assert loaded is not None
    return loaded


# -- opening and reading -----------------------------------------------------------------


def create_case(
    vault: Vault,
    intake: Intake,
    *,
    today: dt.date | None = None,
    taxonomy: Taxonomy | None = None,
    default_organisation: str | None = None,
) -> Case:
    """Opens a new case from an intake.

    Args:
        vault: the open vault.
        intake: what the adviser recorded; `intake.code` None numbers the case per year.
        today: the adviser's today.
        taxonomy: the keys (default: `load_taxonomy()`).
        default_organisation: used when `intake.facts.organisation` is None (default: the
            setting `organisation`).

    Returns:
        The stored case (without identity).

    Raises:
        ValidationError: the intake breaks a rule, or its code is already used.
        NotFound: `intake.reporter_id` names no reporter.
    """
    taxonomy = taxonomy or load_taxonomy()
    rules.raise_if_any(rules.intake_problems(intake, taxonomy, today_or_system(today)))
    organisation = intake.facts.organisation or organisation_or_default(default_organisation)
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
        case_id = cases_repo.insert_case(conn, intake, code=code, organisation=organisation)
        return _load(conn, case_id)


def get_case(vault: Vault, case: CaseRef) -> Case:
    """The full case (facts, people, status, conversations, routes, referrals), no identity.

    Raises:
        NotFound: no such case.
    """
    with vault.reading() as conn:
        return _load(conn, case)


def reveal_identity(vault: Vault, case: CaseRef) -> Identity:
    """The reporter's name and contact, shown only when the adviser asks for them."""
    with vault.reading() as conn:
        return cases_repo.identity_of_case(conn, resolve_case(conn, case))


def set_identity(vault: Vault, case: CaseRef, identity: Identity) -> None:
    """Records (or, with an empty `Identity`, erases) the reporter's identity."""
    rules.raise_if_any(rules.identity_problems(identity))
    with vault.transaction() as conn:
        reporter_id = cases_repo.opened_and_reporter(conn, resolve_case(conn, case))[1]
        cases_repo.set_identity(conn, reporter_id, identity)


def list_cases(vault: Vault, selection: CaseFilter | None = None) -> list[CaseSummary]:
    """One page of the home list (no notes are read). See `CaseFilter`."""
    with vault.reading() as conn:
        return cases_query.summaries(conn, selection or CaseFilter())


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
    today: dt.date | None = None,
    taxonomy: Taxonomy | None = None,
) -> Case:
    """Replaces the editable facts (categories and people included).

    `facts.organisation` None keeps the case's organisation.
    """
    taxonomy = taxonomy or load_taxonomy()
    with vault.transaction() as conn:
        current = _load(conn, case)
        rules.raise_if_any(
            rules.facts_problems(facts, taxonomy, current.opened, today_or_system(today))
        )
        cases_repo.write_facts(conn, current.id, facts, organisation=facts.organisation)
        return _load(conn, current.id)


def change_status(
    vault: Vault, case: CaseRef, status: str, date: dt.date, *, today: dt.date | None = None
) -> Case:
    """Records a change of status (open, aftercare, closed) on a date.

    Raises:
        ValidationError: unknown status, the same status again, a date in the future,
            before the opening or before the last change.
    """
    with vault.transaction() as conn:
        current = _load(conn, case)
        history = (*current.status_history, StatusChange(status, date))
        last = f"status[{len(history) - 1}]"
        problems = [
            (path[len(last) + 1 :] or "status", message)
            for path, message in rules.status_problems(
                history, current.opened, today_or_system(today)
            )
            if path.startswith(last)
        ]
        rules.raise_if_any(problems)
        cases_repo.insert_status(conn, current.id, history[-1])
        return _load(conn, current.id)


def add_conversation(
    vault: Vault,
    case: CaseRef,
    conversation: Conversation,
    *,
    today: dt.date | None = None,
    taxonomy: Taxonomy | None = None,
) -> int:
    """Records a conversation; returns its id."""
    taxonomy = taxonomy or load_taxonomy()
    with vault.transaction() as conn:
        case_id, opened = _opened(conn, case)
        rules.raise_if_any(
            rules.conversation_problems(conversation, taxonomy, opened, today_or_system(today))
        )
        return cases_repo.insert_conversation(conn, case_id, conversation)


def edit_conversation(
    vault: Vault,
    conversation_id: int,
    conversation: Conversation,
    *,
    today: dt.date | None = None,
    taxonomy: Taxonomy | None = None,
) -> Conversation:
    """Replaces a conversation; changed texts keep the earlier version (see
    `conversation_versions`). Returns the conversation as stored now."""
    taxonomy = taxonomy or load_taxonomy()
    today = today_or_system(today)
    with vault.transaction() as conn:
        case_id = cases_repo.conversation_case(conn, conversation_id)
        if case_id is None:
            raise NotFound(_("The conversation was not found."))
        opened = _opened(conn, case_id)[1]
        rules.raise_if_any(rules.conversation_problems(conversation, taxonomy, opened, today))
        version = cases_repo.update_conversation(conn, conversation_id, conversation, today)
        return replace(conversation, id=conversation_id, version=version)


def conversation_versions(vault: Vault, conversation_id: int) -> list[ConversationVersion]:
    """The earlier texts of a conversation, oldest first (empty when never edited)."""
    with vault.reading() as conn:
        if cases_repo.conversation_case(conn, conversation_id) is None:
            raise NotFound(_("The conversation was not found."))
        return cases_repo.conversation_versions(conn, conversation_id)


def add_route(
    vault: Vault,
    case: CaseRef,
    route: Route,
    *,
    today: dt.date | None = None,
    taxonomy: Taxonomy | None = None,
) -> int:
    """Records a route the reporter takes; returns its id."""
    taxonomy = taxonomy or load_taxonomy()
    with vault.transaction() as conn:
        case_id, opened = _opened(conn, case)
        rules.raise_if_any(rules.route_problems(route, taxonomy, opened, today_or_system(today)))
        return cases_repo.insert_route(conn, case_id, route)


def update_route(
    vault: Vault,
    route_id: int,
    route: Route,
    *,
    today: dt.date | None = None,
    taxonomy: Taxonomy | None = None,
) -> None:
    """Replaces a route's key, start date and milestones (filed, acknowledged, ...)."""
    taxonomy = taxonomy or load_taxonomy()
    with vault.transaction() as conn:
        case_id = cases_repo.route_case(conn, route_id)
        if case_id is None:
            raise NotFound(_("The route was not found."))
        opened = _opened(conn, case_id)[1]
        rules.raise_if_any(rules.route_problems(route, taxonomy, opened, today_or_system(today)))
        cases_repo.update_route(conn, route_id, route)


def add_referral(
    vault: Vault,
    case: CaseRef,
    referral: Referral,
    *,
    today: dt.date | None = None,
    taxonomy: Taxonomy | None = None,
) -> int:
    """Records a referral to other help; returns its id."""
    taxonomy = taxonomy or load_taxonomy()
    with vault.transaction() as conn:
        case_id, opened = _opened(conn, case)
        rules.raise_if_any(
            rules.referral_problems(referral, taxonomy, opened, today_or_system(today))
        )
        return cases_repo.insert_referral(conn, case_id, referral)


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
]
