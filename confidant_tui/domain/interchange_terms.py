"""Provides the two passes over an import file's organisation terms (own units and measures).

An organisation's own units (used as `level`) and own measures (`own.*`) live in the vault,
which is only opened after the file was validated (the passphrase is asked last, so a file
with a mistake never costs the adviser a passphrase). So the import checks those keys
twice: `with_file_terms` lets the first pass accept a level or measure the shipped
taxonomy lacks, and `own_term_problems` checks them again once the vault is open, against
the own terms of the organisation each case names. Nothing is stored before both passed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from confidant_tui.domain.case_rules import Problem, join, key_problems, shown
from confidant_tui.domain.interchange import ImportedCase
from confidant_tui.domain.organisation import OWN_PREFIX, OrganisationRules
from confidant_tui.domain.taxonomy import Taxonomy, Term
from confidant_tui.i18n import _

_UNIT_KEY = re.compile(r"^[a-z0-9_]+(\.[a-z0-9_]+)?$")


def _file_keys(document: Any) -> Iterable[tuple[str, str]]:
    """(kind, key) of every level and route measure the raw document names."""
    cases = document.get("cases") if isinstance(document, dict) else None
    for case in cases if isinstance(cases, list) else ():
        if not isinstance(case, dict):
            continue
        if isinstance(case.get("level"), str):
            yield "level", case["level"]
        routes = case.get("routes")
        for route in routes if isinstance(routes, list) else ():
            if isinstance(route, dict) and isinstance(route.get("measure"), str):
                yield "measure", route["measure"]


def with_file_terms(document: Any, taxonomy: Taxonomy) -> Taxonomy:
    """`taxonomy` plus, as stand-ins, the levels and measures of `document` that could be
    an organisation's own (a unit's key, an `own.` measure): the first pass accepts them,
    `own_term_problems` decides after the vault is opened."""
    extra: dict[tuple[str, str], Term] = {}
    for kind, key in _file_keys(document):
        if taxonomy.is_valid(kind, key) or not _UNIT_KEY.match(key):
            continue
        if kind == "measure" and not key.startswith(OWN_PREFIX):
            continue
        extra[kind, key] = Term(kind, key, {"nl": key, "en": key})
    return taxonomy.with_terms(extra.values()) if extra else taxonomy


def own_term_problems(
    cases: Sequence[ImportedCase],
    base: Taxonomy,
    rules_of: Callable[[str | None], OrganisationRules],
) -> list[Problem]:
    """The levels and measures neither shipped nor the own terms of the case's organisation.

    Args:
        cases: the cases of the first pass.
        base: the shipped taxonomy.
        rules_of: the rules of the organisation a case names (None: the default
            organisation; an organisation that does not exist yet gets the default rules).

    Returns:
        The problems, with their paths (`cases[3].routes[0].measure`) and the case code.
    """
    problems: list[Problem] = []
    for case in cases:
        facts = case.intake.facts
        taxonomy = base.with_terms(rules_of(facts.organisation).own_terms())
        found = key_problems(taxonomy, "level", facts.level, join(case.path, "level"))
        for index, route in enumerate(case.routes):
            path = join(case.path, f"routes[{index}].measure")
            found += key_problems(taxonomy, "measure", route.measure, path)
        code = case.intake.code
        if code:
            found = [
                (path, _("case {code}: {problem}").format(code=shown(code), problem=message))
                for path, message in found
            ]
        problems += found
    return problems
