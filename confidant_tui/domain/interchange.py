"""Provides the `confidant-cases/1` interchange format: parse and validate, and export.

Parsing is pure: it takes the decoded JSON document and returns domain objects, or raises one
`ValidationError` listing every problem with its path in the file (`cases[3].opened`) and the
case code. Unknown keys are refused. Sections owned by other areas (consents, protocol) are
validated by `Section` objects the caller passes in; without one, a non-empty section is
refused. See `docs/interchange.md`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from confidant_tui.domain import case_rules as rules
from confidant_tui.domain.case_rules import Problem, join, shown
from confidant_tui.domain.cases import (
    CaseFacts,
    Conversation,
    Identity,
    Intake,
    Referral,
    Route,
    StatusChange,
)
from confidant_tui.domain.interchange_export import case_to_dict
from confidant_tui.domain.interchange_parts import (
    CONVERSATION_KEYS,
    PERSON_KEYS,
    REFERRAL_KEYS,
    ROUTE_KEYS,
    STATUS_KEYS,
    read_conversations,
    read_people,
    read_referrals,
    read_routes,
    read_status_history,
)
from confidant_tui.domain.interchange_reader import FieldReader
from confidant_tui.domain.taxonomy import Taxonomy
from confidant_tui.errors import ValidationError
from confidant_tui.i18n import _, ngettext

__all__ = [
    "CASE_KEYS",
    "CONVERSATION_KEYS",
    "DOCUMENT_KEYS",
    "FORMAT",
    "MAX_PROBLEMS",
    "PERSON_KEYS",
    "REFERRAL_KEYS",
    "REPORTER_KEYS",
    "ROUTE_KEYS",
    "SECTION_KEYS",
    "STATUS_KEYS",
    "ImportedCase",
    "Section",
    "case_to_dict",
    "document",
    "parse_case",
    "parse_document",
    "raise_problems",
]

FORMAT = "confidant-cases/1"
DOCUMENT_KEYS = ("format", "cases")
CASE_KEYS = (
    "code",
    "organisation",
    "opened",
    "status",
    "reporter",
    "categories",
    "relation",
    "power_imbalance",
    "level",
    "people",
    "first_incident",
    "last_incident",
    "wishes",
    "work_situation",
    "outcome",
    "outcome_key",
    "experience",
    "confidentiality_explained",
    "recording_consent",
    "routes",
    "referrals",
    "conversations",
    "consents",
    "protocol",
)
REPORTER_KEYS = ("alias", "role", "name", "contact")
SECTION_KEYS = ("consents", "protocol")
"""Case keys whose content another area validates and stores (through a `Section`)."""

MAX_PROBLEMS = 200
"""At most this many problems are listed; the rest are counted."""


@dataclass(frozen=True)
class ImportedCase:
    """One validated case of an import file, ready to store.

    Attributes:
        index: its place in the file (`cases[index]`).
        sections: the parsed content of extra sections, keyed by section name.
    """

    index: int
    intake: Intake
    status_history: tuple[StatusChange, ...] = ()
    conversations: tuple[Conversation, ...] = ()
    routes: tuple[Route, ...] = ()
    referrals: tuple[Referral, ...] = ()
    sections: Mapping[str, Any] = field(default_factory=dict)

    @property
    def path(self) -> str:
        """The case's path in the file."""
        return f"cases[{self.index}]"


class Section(Protocol):
    """Validates the case keys another area owns (e.g. `consents` and `protocol`).

    Attributes:
        name: the section's name (key of `ImportedCase.sections`).
        keys: the case keys it handles (some of `SECTION_KEYS`).
    """

    # Read-only: a frozen dataclass (`vault.interchange_repo.ImportSection`) is a Section.
    @property
    def name(self) -> str: ...

    @property
    def keys(self) -> tuple[str, ...]: ...

    def validate(
        self, values: Mapping[str, Any], case: ImportedCase, now: dt.datetime
    ) -> tuple[Any, list[Problem]]:
        """Parses and checks `values` ({key: raw value, None when absent}) for `case`.

        Problem paths are full (`cases[3].protocol[0].informed_at`); `case.path` helps.
        Returns the parsed value (stored later by the section's store step) and problems.
        """
        ...


def parse_document(
    document: Any,
    taxonomy: Taxonomy,
    now: dt.datetime,
    sections: Sequence[Section] = (),
) -> list[ImportedCase]:
    """Parses and validates a whole interchange document.

    Args:
        document: the decoded JSON.
        taxonomy: the keys (with the organisation's extra levels).
        now: the moment of the import; its date is the adviser's today (past-event dates
            may not lie after it) and the sections refuse moments after it.
        sections: validators for the extra sections (consents, protocol).

    Returns:
        Every case, validated, in file order.

    Raises:
        ValidationError: listing every problem (path and message naming the case code).
    """
    reader = FieldReader()
    top = reader.mapping(document, "", DOCUMENT_KEYS) if isinstance(document, dict) else None
    if top is None:
        raise ValidationError(_("The file is not a Confidant case file (expected a JSON object)."))
    if top.get("format") != FORMAT:
        reader.add("format", _('The format must be "{format}".').format(format=FORMAT))
    raw_cases = reader.items(top.get("cases"), "cases")
    if "cases" not in top:
        reader.add("cases", _("The list of cases is missing."))
    problems = reader.unknown + reader.problems
    parsed: list[ImportedCase] = []
    codes: dict[str, int] = {}
    for index, raw in enumerate(raw_cases):
        case, found = parse_case(raw, index, taxonomy, now, sections)
        problems += found
        if case is not None:
            parsed.append(case)
            code = case.intake.code
            if code is not None:
                if code in codes:
                    problems.append(
                        _with_code(
                            (
                                f"cases[{index}].code",
                                _("The code {code} is also used by cases[{other}].").format(
                                    code=code, other=codes[code]
                                ),
                            ),
                            code,
                        )
                    )
                else:
                    codes[code] = index
    if problems:
        raise_problems(problems)
    return parsed


def raise_problems(problems: Sequence[Problem]) -> None:
    """Raises the `ValidationError` of a refused import (nothing was imported)."""
    shown_problems = list(problems[:MAX_PROBLEMS])
    if len(problems) > MAX_PROBLEMS:
        shown_problems.append(
            ("", _("... and {count} more problems.").format(count=len(problems) - MAX_PROBLEMS))
        )
    message = ngettext(
        "Nothing was imported: the file has {count} problem.",
        "Nothing was imported: the file has {count} problems.",
        len(problems),
    ).format(count=len(problems))
    raise ValidationError(message, shown_problems)


def _with_code(problem: Problem, code: str | None) -> Problem:
    if not code:
        return problem
    return problem[0], _("case {code}: {problem}").format(code=shown(code), problem=problem[1])


def parse_case(
    raw: Any,
    index: int,
    taxonomy: Taxonomy,
    now: dt.datetime,
    sections: Sequence[Section] = (),
) -> tuple[ImportedCase | None, list[Problem]]:
    """Parses and validates one case (the per-case validate step of the import).

    `now` is the moment of the import (see `parse_document`).

    Returns:
        The case (None when it could not be read) and its problems, each naming the code.
    """
    today = now.date()
    path = f"cases[{index}]"
    reader = FieldReader()
    case = reader.mapping(raw, path, CASE_KEYS)
    if case is None:
        return None, reader.problems
    code_raw = case.get("code")
    code = code_raw if isinstance(code_raw, str) else None
    imported = _read_case(reader, case, index, path)
    problems = reader.unknown + reader.problems
    if imported is not None and not reader.problems:
        intake = imported.intake
        problems += rules.intake_problems(intake, taxonomy, today, path)
        opened = intake.opened
        problems += rules.status_problems(
            imported.status_history, opened, today, join(path, "status")
        )
        for i, conversation in enumerate(imported.conversations):
            problems += rules.conversation_problems(
                conversation, taxonomy, opened, today, join(path, f"conversations[{i}]")
            )
        for i, route in enumerate(imported.routes):
            problems += rules.route_problems(
                route, taxonomy, opened, today, join(path, f"routes[{i}]")
            )
        for i, referral in enumerate(imported.referrals):
            problems += rules.referral_problems(
                referral, taxonomy, opened, today, join(path, f"referrals[{i}]")
            )
        imported, section_problems = _sections(case, imported, now, sections)
        problems += section_problems
    problems = [_with_code(p, code) for p in problems]
    return (imported if not problems else None), problems


def _sections(
    case: Mapping[str, Any], imported: ImportedCase, now: dt.datetime, sections: Sequence[Section]
) -> tuple[ImportedCase, list[Problem]]:
    problems: list[Problem] = []
    handled: set[str] = set()
    parsed: dict[str, Any] = {}
    for section in sections:
        values = {key: case.get(key) for key in section.keys}
        handled.update(section.keys)
        value, found = section.validate(values, imported, now)
        problems += found
        parsed[section.name] = value
    for key in SECTION_KEYS:
        if key not in handled and case.get(key):
            problems.append(
                (
                    join(imported.path, key),
                    _(
                        "This version of Confidant cannot import '{key}' yet; remove them "
                        "from the file and record them in the app."
                    ).format(key=key),
                )
            )
    return ImportedCase(
        imported.index,
        imported.intake,
        imported.status_history,
        imported.conversations,
        imported.routes,
        imported.referrals,
        parsed,
    ), problems


def _read_case(
    r: FieldReader, case: Mapping[str, Any], index: int, path: str
) -> ImportedCase | None:
    code = r.text(case.get("code"), join(path, "code"))
    organisation = r.text(case.get("organisation"), join(path, "organisation"))
    opened = r.date(case.get("opened"), join(path, "opened"), required=True)
    reporter_path = join(path, "reporter")
    raw_reporter = case.get("reporter")
    reporter: Mapping[str, Any] = {}
    if raw_reporter is not None:
        reporter = r.mapping(raw_reporter, reporter_path, REPORTER_KEYS) or {}
    role = r.text(reporter.get("role"), join(reporter_path, "role"))
    if reporter.get("role") is None and (raw_reporter is None or isinstance(raw_reporter, dict)):
        r.add(join(reporter_path, "role"), _("The reporter's role is missing."))
    identity = Identity(
        r.text(reporter.get("name"), join(reporter_path, "name")),
        r.text(reporter.get("contact"), join(reporter_path, "contact")),
    )
    categories = [
        r.text(item, join(path, f"categories[{i}]"))
        for i, item in enumerate(r.items(case.get("categories"), join(path, "categories")))
    ]
    if not categories:
        r.add(join(path, "categories"), _("At least one category is required."))
    people = read_people(r, case, path)
    facts = CaseFacts(
        reporter_role=role or "",
        categories=tuple(c or "" for c in categories),
        reporter_alias=r.text(reporter.get("alias"), join(reporter_path, "alias")),
        organisation=organisation,
        relation=r.text(case.get("relation"), join(path, "relation")),
        power_imbalance=r.boolean(case.get("power_imbalance"), join(path, "power_imbalance")),
        level=r.text(case.get("level"), join(path, "level")),
        first_incident=r.date(case.get("first_incident"), join(path, "first_incident")),
        last_incident=r.date(case.get("last_incident"), join(path, "last_incident")),
        wishes=r.text(case.get("wishes"), join(path, "wishes")),
        work_situation=r.text(case.get("work_situation"), join(path, "work_situation")),
        outcome=r.text(case.get("outcome"), join(path, "outcome")),
        outcome_key=r.text(case.get("outcome_key"), join(path, "outcome_key")),
        experience=r.text(case.get("experience"), join(path, "experience")),
        confidentiality_explained=r.date(
            case.get("confidentiality_explained"), join(path, "confidentiality_explained")
        ),
        recording_consent=r.date(case.get("recording_consent"), join(path, "recording_consent")),
        people=tuple(people),
    )
    history = read_status_history(r, case, path)
    conversations = read_conversations(r, case, path)
    routes = read_routes(r, case, path)
    referrals = read_referrals(r, case, path)
    for key in SECTION_KEYS:
        r.items(case.get(key), join(path, key))
    if opened is None:
        return None
    intake = Intake(opened=opened, facts=facts, identity=identity, code=code)
    return ImportedCase(
        index, intake, tuple(history), tuple(conversations), tuple(routes), tuple(referrals)
    )


def document(cases: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Wraps exported cases in an interchange document."""
    return {"format": FORMAT, "cases": list(cases)}
