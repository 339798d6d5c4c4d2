"""Provides the `confidant-cases/1` interchange format: parse and validate, and export.

Parsing is pure: it takes the decoded JSON document and returns domain objects, or raises one
`ValidationError` listing every problem with its path in the file (`cases[3].opened`) and the
case code. Unknown keys are refused. Sections owned by other areas (consents, protocol) are
validated by `Section` objects the caller passes in; without one, a non-empty section is
refused. See `docs/interchange.md`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from confidant_tui.domain import case_rules as rules
from confidant_tui.domain.case_rules import Problem, join, shown
from confidant_tui.domain.cases import (
    Case,
    CaseFacts,
    Conversation,
    Identity,
    Intake,
    Person,
    Referral,
    Route,
    StatusChange,
)
from confidant_tui.domain.taxonomy import Taxonomy
from confidant_tui.errors import ValidationError
from confidant_tui.i18n import _, ngettext

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
    "confidentiality_explained",
    "recording_consent",
    "routes",
    "referrals",
    "conversations",
    "consents",
    "protocol",
)
REPORTER_KEYS = ("alias", "role", "name", "contact")
PERSON_KEYS = ("alias", "role", "relation")
STATUS_KEYS = ("status", "date")
ROUTE_KEYS = ("route", "date", "filed", "acknowledged", "feedback", "ended")
REFERRAL_KEYS = ("to", "date", "note")
CONVERSATION_KEYS = (
    "date",
    "time",
    "minutes",
    "mode",
    "notes",
    "advice",
    "next_steps",
    "follow_up",
)
SECTION_KEYS = ("consents", "protocol")
"""Case keys whose content another area validates and stores (through a `Section`)."""

MAX_PROBLEMS = 200
"""At most this many problems are listed; the rest are counted."""

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TIME = re.compile(r"^\d{2}:\d{2}$")


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

    name: str
    keys: tuple[str, ...]

    def validate(
        self, values: Mapping[str, Any], case: ImportedCase, today: dt.date
    ) -> tuple[Any, list[Problem]]:
        """Parses and checks `values` ({key: raw value, None when absent}) for `case`.

        Problem paths are full (`cases[3].protocol[0].informed_at`); `case.path` helps.
        Returns the parsed value (stored later by the section's store step) and problems.
        """
        ...


class _Reader:
    """Reads typed values out of raw JSON, collecting problems instead of failing."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.unknown: list[Problem] = []
        """Unknown keys: refused, but they do not stop the rules from being checked."""

    def add(self, path: str, message: str) -> None:
        self.problems.append((path, message))

    def mapping(self, raw: Any, path: str, keys: Sequence[str]) -> Mapping[str, Any] | None:
        if not isinstance(raw, dict):
            self.add(path, _("Expected an object {...} here."))
            return None
        for key in raw:
            if key not in keys:
                self.unknown.append(
                    (
                        join(path, shown(key)),
                        _("Unknown field '{key}'; check the spelling.").format(key=shown(key)),
                    )
                )
        return raw

    def items(self, raw: Any, path: str) -> list[Any]:
        if raw is None:
            return []
        if not isinstance(raw, list):
            self.add(path, _("Expected a list [...] here."))
            return []
        return raw

    def text(self, raw: Any, path: str) -> str | None:
        if raw is None:
            return None
        if not isinstance(raw, str):
            self.add(path, _("Expected text here."))
            return None
        return raw

    def key(self, raw: Any, path: str, required: str | None = None) -> str | None:
        value = self.text(raw, path)
        if value is None and raw is None and required:
            self.add(path, required)
        return value

    def date(self, raw: Any, path: str, required: bool = False) -> dt.date | None:
        if raw is None:
            if required:
                self.add(path, _("This date is required."))
            return None
        if isinstance(raw, str) and _DATE.match(raw):
            try:
                return dt.date.fromisoformat(raw)
            except ValueError:
                pass
        self.add(path, _("Expected a date as YYYY-MM-DD, for example 2025-03-14."))
        return None

    def time(self, raw: Any, path: str) -> dt.time | None:
        if raw is None:
            return None
        if isinstance(raw, str) and _TIME.match(raw):
            try:
                return dt.time.fromisoformat(raw)
            except ValueError:
                pass
        self.add(path, _("Expected a time as HH:MM, for example 10:30."))
        return None

    def boolean(self, raw: Any, path: str) -> bool | None:
        if raw is None or isinstance(raw, bool):
            return raw
        self.add(path, _("Expected true or false here."))
        return None

    def integer(self, raw: Any, path: str) -> int | None:
        if raw is None:
            return None
        if isinstance(raw, int) and not isinstance(raw, bool):
            return raw
        self.add(path, _("Expected a whole number here."))
        return None


def parse_document(
    document: Any,
    taxonomy: Taxonomy,
    today: dt.date,
    sections: Sequence[Section] = (),
) -> list[ImportedCase]:
    """Parses and validates a whole interchange document.

    Args:
        document: the decoded JSON.
        taxonomy: the keys (with the organisation's extra levels).
        today: the adviser's today (past-event dates may not lie after it).
        sections: validators for the extra sections (consents, protocol).

    Returns:
        Every case, validated, in file order.

    Raises:
        ValidationError: listing every problem (path and message naming the case code).
    """
    reader = _Reader()
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
        case, found = parse_case(raw, index, taxonomy, today, sections)
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
    today: dt.date,
    sections: Sequence[Section] = (),
) -> tuple[ImportedCase | None, list[Problem]]:
    """Parses and validates one case (the per-case validate step of the import).

    Returns:
        The case (None when it could not be read) and its problems, each naming the code.
    """
    path = f"cases[{index}]"
    reader = _Reader()
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
        imported, section_problems = _sections(case, imported, today, sections)
        problems += section_problems
    problems = [_with_code(p, code) for p in problems]
    return (imported if not problems else None), problems


def _sections(
    case: Mapping[str, Any], imported: ImportedCase, today: dt.date, sections: Sequence[Section]
) -> tuple[ImportedCase, list[Problem]]:
    problems: list[Problem] = []
    handled: set[str] = set()
    parsed: dict[str, Any] = {}
    for section in sections:
        values = {key: case.get(key) for key in section.keys}
        handled.update(section.keys)
        value, found = section.validate(values, imported, today)
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


def _read_case(r: _Reader, case: Mapping[str, Any], index: int, path: str) -> ImportedCase | None:
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
    people = []
    for i, item in enumerate(r.items(case.get("people"), join(path, "people"))):
        ppath = join(path, f"people[{i}]")
        person = r.mapping(item, ppath, PERSON_KEYS)
        if person is None:
            continue
        person_role = r.text(person.get("role"), join(ppath, "role"))
        if person_role is None:
            r.add(join(ppath, "role"), _("The role of the person involved is missing."))
        people.append(
            Person(
                person_role or "",
                r.text(person.get("alias"), join(ppath, "alias")),
                r.text(person.get("relation"), join(ppath, "relation")),
            )
        )
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
        confidentiality_explained=r.date(
            case.get("confidentiality_explained"), join(path, "confidentiality_explained")
        ),
        recording_consent=r.date(case.get("recording_consent"), join(path, "recording_consent")),
        people=tuple(people),
    )
    history = []
    for i, item in enumerate(r.items(case.get("status"), join(path, "status"))):
        spath = join(path, f"status[{i}]")
        change = r.mapping(item, spath, STATUS_KEYS)
        if change is None:
            continue
        status = r.text(change.get("status"), join(spath, "status"))
        if status is None:
            r.add(join(spath, "status"), _("The status is missing."))
        date = r.date(change.get("date"), join(spath, "date"), required=True)
        if status is not None and date is not None:
            history.append(StatusChange(status, date))
    conversations = []
    for i, item in enumerate(r.items(case.get("conversations"), join(path, "conversations"))):
        cpath = join(path, f"conversations[{i}]")
        raw = r.mapping(item, cpath, CONVERSATION_KEYS)
        if raw is None:
            continue
        date = r.date(raw.get("date"), join(cpath, "date"), required=True)
        conversation = Conversation(
            date=date or dt.date.min,
            time=r.time(raw.get("time"), join(cpath, "time")),
            minutes=r.integer(raw.get("minutes"), join(cpath, "minutes")),
            mode=r.text(raw.get("mode"), join(cpath, "mode")),
            notes=r.text(raw.get("notes"), join(cpath, "notes")),
            advice=r.text(raw.get("advice"), join(cpath, "advice")),
            next_steps=r.text(raw.get("next_steps"), join(cpath, "next_steps")),
            follow_up=r.date(raw.get("follow_up"), join(cpath, "follow_up")),
        )
        conversations.append(conversation)
    routes = []
    for i, item in enumerate(r.items(case.get("routes"), join(path, "routes"))):
        rpath = join(path, f"routes[{i}]")
        raw = r.mapping(item, rpath, ROUTE_KEYS)
        if raw is None:
            continue
        key = r.text(raw.get("route"), join(rpath, "route"))
        if key is None:
            r.add(join(rpath, "route"), _("The route is missing."))
        date = r.date(raw.get("date"), join(rpath, "date"), required=True)
        milestones = {
            name: r.date(raw.get(name), join(rpath, name))
            for name in ("filed", "acknowledged", "feedback", "ended")
        }
        routes.append(Route(key or "", date or dt.date.min, **milestones))
    referrals = []
    for i, item in enumerate(r.items(case.get("referrals"), join(path, "referrals"))):
        fpath = join(path, f"referrals[{i}]")
        raw = r.mapping(item, fpath, REFERRAL_KEYS)
        if raw is None:
            continue
        destination = r.text(raw.get("to"), join(fpath, "to"))
        if destination is None:
            r.add(join(fpath, "to"), _("The referral's destination is missing."))
        date = r.date(raw.get("date"), join(fpath, "date"), required=True)
        referrals.append(
            Referral(
                destination or "", date or dt.date.min, r.text(raw.get("note"), join(fpath, "note"))
            )
        )
    for key in SECTION_KEYS:
        r.items(case.get(key), join(path, key))
    if opened is None:
        return None
    intake = Intake(opened=opened, facts=facts, identity=identity, code=code)
    return ImportedCase(
        index, intake, tuple(history), tuple(conversations), tuple(routes), tuple(referrals)
    )


# -- export ------------------------------------------------------------------------------


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def case_to_dict(
    case: Case, identity: Identity, sections: Mapping[str, list[Any]] | None = None
) -> dict[str, Any]:
    """The interchange form of a stored case (every key present; null when not recorded).

    Args:
        case: the case.
        identity: the reporter's identity (export carries it: the file is sensitive).
        sections: the exported extra sections ({"consents": [...], "protocol": [...]}).
    """
    facts = case.facts
    extra = dict(sections or {})
    return {
        "code": case.code,
        "organisation": facts.organisation,
        "opened": case.opened.isoformat(),
        "status": [{"status": s.status, "date": s.date.isoformat()} for s in case.status_history],
        "reporter": {
            "alias": facts.reporter_alias,
            "role": facts.reporter_role,
            "name": identity.name,
            "contact": identity.contact,
        },
        "categories": list(facts.categories),
        "relation": facts.relation,
        "power_imbalance": facts.power_imbalance,
        "level": facts.level,
        "people": [
            {"alias": p.alias, "role": p.role, "relation": p.relation} for p in facts.people
        ],
        "first_incident": _iso(facts.first_incident),
        "last_incident": _iso(facts.last_incident),
        "wishes": facts.wishes,
        "work_situation": facts.work_situation,
        "outcome": facts.outcome,
        "confidentiality_explained": _iso(facts.confidentiality_explained),
        "recording_consent": _iso(facts.recording_consent),
        "routes": [
            {
                "route": r.route,
                "date": r.date.isoformat(),
                "filed": _iso(r.filed),
                "acknowledged": _iso(r.acknowledged),
                "feedback": _iso(r.feedback),
                "ended": _iso(r.ended),
            }
            for r in case.routes
        ],
        "referrals": [
            {"to": f.destination, "date": f.date.isoformat(), "note": f.note}
            for f in case.referrals
        ],
        "conversations": [
            {
                "date": c.date.isoformat(),
                "time": c.time.strftime("%H:%M") if c.time else None,
                "minutes": c.minutes,
                "mode": c.mode,
                "notes": c.notes,
                "advice": c.advice,
                "next_steps": c.next_steps,
                "follow_up": _iso(c.follow_up),
            }
            for c in case.conversations
        ],
        "consents": list(extra.get("consents", [])),
        "protocol": list(extra.get("protocol", [])),
    }


def document(cases: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Wraps exported cases in an interchange document."""
    return {"format": FORMAT, "cases": list(cases)}
