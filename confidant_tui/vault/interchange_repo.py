"""Provides the cases of an interchange file <-> the vault: store imported cases, export one.

`services.importing` reads and validates the file first (`domain.interchange`) and calls
`store_cases` inside ONE transaction, so a clash of codes refuses the whole file. Keys owned
by another area (consents, protocol) travel through `ImportSection`s: each validates its keys
(pure), stores them inside the import's transaction and exports them for one case.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from confidant_tui.domain import interchange
from confidant_tui.domain.case_rules import Problem
from confidant_tui.domain.interchange import ImportedCase
from confidant_tui.domain.interchange_terms import own_term_problems
from confidant_tui.domain.organisation import OrganisationRules
from confidant_tui.domain.taxonomy import Taxonomy
from confidant_tui.i18n import _
from confidant_tui.vault import cases_repo, organisations_repo
from confidant_tui.vault.store import Connection


@dataclass(frozen=True)
class ImportSection:
    """Validates, stores and exports case keys owned by another area.

    Attributes:
        name: the section's name (the key of `ImportedCase.sections`).
        keys: the case keys it handles, e.g. ("consents", "protocol").
        validate: (values {key: raw or None}, case, now) -> (parsed, problems); pure.
            Problem paths are full (`cases[3].protocol[0].informed_at`; use `case.path`).
        store: (conn, case_id, case, parsed, recorded_at) -> None; inside the import
            transaction, `recorded_at` the moment of the import.
        export: (conn, case_id) -> {key: list}; the interchange form for export.
    """

    name: str
    keys: tuple[str, ...]
    validate: Callable[[Mapping[str, Any], ImportedCase, dt.datetime], tuple[Any, list[Problem]]]
    store: Callable[[Connection, int, ImportedCase, Any, dt.datetime], None]
    export: Callable[[Connection, int], Mapping[str, list[Any]]]


def _assign_codes(conn: Connection, cases: Sequence[ImportedCase]) -> list[str]:
    taken = {c.intake.code for c in cases if c.intake.code}
    clash = cases_repo.existing_codes(conn, taken)
    if clash:
        interchange.raise_problems(
            [
                (
                    f"{c.path}.code",
                    _("case {code}: the code is already used in the vault.").format(
                        code=c.intake.code
                    ),
                )
                for c in cases
                if c.intake.code in clash
            ]
        )
    highest: dict[int, int] = {}
    for code in taken:
        year, seq = (int(part) for part in code.split("-"))
        highest[year] = max(highest.get(year, 0), seq)
    stored: dict[int, int] = {}  # the vault's highest number per year (nothing is stored yet)
    codes = []
    for case in cases:
        if case.intake.code:
            codes.append(case.intake.code)
            continue
        year = case.intake.opened.year
        if year not in stored:
            stored[year] = cases_repo.max_seq(conn, year)
        highest[year] = max(highest.get(year, 0), stored[year]) + 1
        codes.append(cases_repo.format_code(year, highest[year]))
    return codes


def check_own_terms(
    conn: Connection, cases: Sequence[ImportedCase], *, base: Taxonomy, default_organisation: str
) -> None:
    """The second pass of the import: each case's level and route measures must be shipped
    keys or the own terms of the organisation it names (see `domain.interchange_terms`).

    Raises:
        ValidationError: naming each refused key's path; nothing is stored.
    """
    rules = {o.name: o.rules for o in organisations_repo.load_all(conn)}

    def rules_of(name: str | None) -> OrganisationRules:
        return rules.get(name or default_organisation, OrganisationRules())

    problems = own_term_problems(cases, base, rules_of)
    if problems:
        interchange.raise_problems(problems)


def store_cases(
    conn: Connection,
    cases: Sequence[ImportedCase],
    *,
    default_organisation: str,
    recorded_at: dt.datetime,
    base: Taxonomy,
    sections: Sequence[ImportSection] = (),
) -> list[str]:
    """Stores validated cases inside the caller's transaction (the store step).

    `recorded_at` is the moment of the import, recorded with the sections' entries; `base`
    is the shipped taxonomy, against which with the organisations' own terms the levels and
    measures are checked again first (`check_own_terms`).

    Returns:
        The code of each case, in file order.

    Raises:
        ValidationError: a level or measure no organisation knows, or a code already used
            in the vault.
    """
    check_own_terms(conn, cases, base=base, default_organisation=default_organisation)
    codes = _assign_codes(conn, cases)
    for case, code in zip(cases, codes, strict=True):
        organisation = case.intake.facts.organisation or default_organisation
        case_id = cases_repo.insert_case(
            conn,
            case.intake,
            code=code,
            organisation=organisation,
            status_history=case.status_history,
            conversations=case.conversations,
            routes=case.routes,
            referrals=case.referrals,
        )
        for section in sections:
            section.store(conn, case_id, case, case.sections.get(section.name), recorded_at)
    return codes


def case_entry(
    conn: Connection, case_id: int, sections: Sequence[ImportSection] = ()
) -> dict[str, Any]:
    """One stored case in the interchange form, identity and the sections' keys included."""
    case = cases_repo.load_case(conn, case_id)
    assert case is not None
    extra: dict[str, list[Any]] = {}
    for section in sections:
        extra.update(section.export(conn, case_id))
    identity = cases_repo.identity_of_case(conn, case_id)
    return interchange.case_to_dict(case, identity, extra)
