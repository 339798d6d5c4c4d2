"""Provides the rules a case must keep, as lists of (path, message) problems for the adviser.

The same rules serve the screens and the import: paths use the names of the interchange
format (`reporter.role`, `conversations[0].date`) and a caller may prefix them (`cases[3].`).
"Today" is always a parameter, so the rules are deterministic in tests.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence

from confidant_tui.display_text import visible
from confidant_tui.domain.cases import (
    MANNER_ROUTES,
    PERSON_ROLES,
    STATUSES,
    CaseFacts,
    Conversation,
    Identity,
    Intake,
    Person,
    Referral,
    Route,
    StatusChange,
)
from confidant_tui.domain.taxonomy import Taxonomy, kind_name
from confidant_tui.errors import ValidationError
from confidant_tui.i18n import _, format_date, ngettext

Problem = tuple[str, str]

MAX_TEXT = 5_000_000
"""Most characters in one free text (a note of several megabytes still fits)."""
MAX_SHORT = 200
"""Most characters in an alias, a name or an organisation's name."""
MAX_CONTACT = 2000
CODE_PATTERN = re.compile(r"([0-9]{4})-([0-9]{3,6})")
"""A case code, matched whole (`fullmatch`): ASCII digits only, so `٢٠٢٥-٠٠٧` is no code."""


def join(prefix: str, name: str) -> str:
    """Joins a path prefix and a field name (`cases[3]` + `opened`)."""
    if not prefix:
        return name
    return prefix + name if name.startswith("[") else f"{prefix}.{name}"


def shown(value: object, limit: int = 40) -> str:
    """A value made safe to show in a message: control characters shown as symbols, shortened.

    Values from an import file may hold escape sequences; a message may reach a terminal.
    """
    cleaned = visible(value)
    return cleaned if len(cleaned) <= limit else cleaned[: limit - 1] + "…"


def raise_if_any(problems: Sequence[Problem]) -> None:
    """Raises `ValidationError` listing `problems`, if there are any.

    Raises:
        ValidationError: its message names the first problem and how many there are.
    """
    if not problems:
        return
    first = problems[0][1]
    if len(problems) == 1:
        message = _("Not saved: {problem}").format(problem=first)
    else:
        message = ngettext(
            "Not saved: {count} problem, the first: {problem}",
            "Not saved: {count} problems, the first: {problem}",
            len(problems),
        ).format(count=len(problems), problem=first)
    raise ValidationError(message, list(problems))


# -- small checks ------------------------------------------------------------------------


def text_problems(value: str | None, path: str, max_length: int = MAX_TEXT) -> list[Problem]:
    """A free text must fit and be storable as UTF-8 (no lone surrogates)."""
    if value is None:
        return []
    problems: list[Problem] = []
    if len(value) > max_length:
        problems.append(
            (path, _("The text is too long (at most {count} characters).").format(count=max_length))
        )
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        problems.append((path, _("The text holds a character that cannot be stored.")))
    return problems


def key_problems(taxonomy: Taxonomy, kind: str, key: str | None, path: str) -> list[Problem]:
    """A key must be known to the taxonomy (None is allowed: not recorded)."""
    if key is None or taxonomy.is_valid(kind, key):
        return []
    return [
        (
            path,
            _("'{key}' is not a known value for {kind}.").format(
                kind=kind_name(kind), key=shown(key)
            ),
        )
    ]


def past_problems(value: dt.date | None, path: str, today: dt.date) -> list[Problem]:
    """A date of something that happened may not lie in the future."""
    if value is not None and value > today:
        return [
            (
                path,
                _("The date {date} lies in the future; it must be today or earlier.").format(
                    date=format_date(value)
                ),
            )
        ]
    return []


def not_before_opened(value: dt.date | None, path: str, opened: dt.date) -> list[Problem]:
    """A date in the life of a case may not lie before the case was opened."""
    if value is not None and value < opened:
        return [
            (
                path,
                _("The date {date} lies before the case was opened ({opened}).").format(
                    date=format_date(value), opened=format_date(opened)
                ),
            )
        ]
    return []


def event_problems(
    value: dt.date | None, path: str, opened: dt.date, today: dt.date
) -> list[Problem]:
    """A past event of a case: not in the future, not before the opening."""
    return past_problems(value, path, today) or not_before_opened(value, path, opened)


# -- the parts of a case -----------------------------------------------------------------


def code_problems(code: str | None, opened: dt.date, path: str = "code") -> list[Problem]:
    """A kept code looks like `2025-003` and carries the year of opening."""
    if code is None:
        return []
    match = CODE_PATTERN.fullmatch(code)
    if not match or int(match.group(2)) == 0:
        return [(path, _("A case code looks like 2025-003 (year, dash, number)."))]
    canonical = f"{match.group(1)}-{int(match.group(2)):03d}"
    if code != canonical:  # 2025-0007 would be the same case number as 2025-007
        return [
            (
                path,
                _(
                    "The code {code} has a zero too many in front of its number; write {canonical}."
                ).format(code=code, canonical=canonical),
            )
        ]
    if int(match.group(1)) != opened.year:
        return [
            (
                path,
                _("The code {code} does not carry the year the case was opened ({year}).").format(
                    code=code, year=opened.year
                ),
            )
        ]
    return []


def identity_problems(identity: Identity, prefix: str = "reporter") -> list[Problem]:
    """Name and contact must fit."""
    return text_problems(identity.name, join(prefix, "name"), MAX_SHORT) + text_problems(
        identity.contact, join(prefix, "contact"), MAX_CONTACT
    )


def person_problems(person: Person, taxonomy: Taxonomy, path: str) -> list[Problem]:
    """A person involved has a known role; only the accused has a relation."""
    problems: list[Problem] = []
    if person.role not in PERSON_ROLES:
        problems += key_problems(taxonomy, "person_role", person.role, join(path, "role"))
    problems += key_problems(taxonomy, "relation", person.relation, join(path, "relation"))
    if person.relation is not None and person.role != "accused":
        problems.append(
            (
                join(path, "relation"),
                _("Only an accused person has a relation to the reporter."),
            )
        )
    problems += text_problems(person.alias, join(path, "alias"), MAX_SHORT)
    return problems


def facts_problems(
    facts: CaseFacts, taxonomy: Taxonomy, opened: dt.date, today: dt.date, prefix: str = ""
) -> list[Problem]:
    """Every rule on the editable facts of a case.

    Args:
        facts: the facts.
        taxonomy: the keys (including the organisation's extra levels).
        opened: the opening date of the case.
        today: the adviser's today.
        prefix: a path prefix for the problems (`cases[3]`).

    Returns:
        The problems, empty when the facts are in order.
    """
    p = prefix
    problems: list[Problem] = []
    if not facts.reporter_role:
        problems.append((join(p, "reporter.role"), _("The reporter's role is missing.")))
    else:
        problems += key_problems(
            taxonomy, "reporter_role", facts.reporter_role, join(p, "reporter.role")
        )
    problems += text_problems(facts.reporter_alias, join(p, "reporter.alias"), MAX_SHORT)
    if not facts.categories:
        problems.append((join(p, "categories"), _("At least one category is required.")))
    seen: set[str] = set()
    for index, category in enumerate(facts.categories):
        path = join(p, f"categories[{index}]")
        problems += key_problems(taxonomy, "category", category, path)
        if category in seen:
            problems.append(
                (path, _("The category '{key}' is given twice.").format(key=shown(category)))
            )
        seen.add(category)
    if facts.organisation is not None and not facts.organisation.strip():
        problems.append((join(p, "organisation"), _("The organisation's name is empty.")))
    problems += text_problems(facts.organisation, join(p, "organisation"), MAX_SHORT)
    problems += key_problems(taxonomy, "relation", facts.relation, join(p, "relation"))
    problems += key_problems(taxonomy, "level", facts.level, join(p, "level"))
    problems += key_problems(taxonomy, "outcome", facts.outcome_key, join(p, "outcome_key"))
    problems += key_problems(taxonomy, "experience", facts.experience, join(p, "experience"))
    for name in ("first_incident", "last_incident"):
        value: dt.date | None = getattr(facts, name)
        found = past_problems(value, join(p, name), today)
        if not found and value is not None and value > opened:
            found = [
                (
                    join(p, name),
                    _(
                        "An incident cannot lie after the case was opened ({opened}); "
                        "record later events in a conversation."
                    ).format(opened=format_date(opened)),
                )
            ]
        problems += found
    if facts.first_incident and facts.last_incident and facts.first_incident > facts.last_incident:
        problems.append(
            (join(p, "last_incident"), _("The last incident lies before the first incident."))
        )
    for name in ("confidentiality_explained", "recording_consent"):
        problems += event_problems(getattr(facts, name), join(p, name), opened, today)
    for name in ("wishes", "work_situation", "outcome"):
        problems += text_problems(getattr(facts, name), join(p, name))
    for index, person in enumerate(facts.people):
        problems += person_problems(person, taxonomy, join(p, f"people[{index}]"))
    return problems


def intake_problems(
    intake: Intake, taxonomy: Taxonomy, today: dt.date, prefix: str = ""
) -> list[Problem]:
    """Every rule on a new case: the opening date, the code, the facts and the identity."""
    problems = past_problems(intake.opened, join(prefix, "opened"), today)
    problems += code_problems(intake.code, intake.opened, join(prefix, "code"))
    problems += identity_problems(intake.identity, join(prefix, "reporter"))
    problems += facts_problems(intake.facts, taxonomy, intake.opened, today, prefix)
    return problems


def status_problems(
    history: Iterable[StatusChange], opened: dt.date, today: dt.date, prefix: str = "status"
) -> list[Problem]:
    """A status history: known statuses, real changes, in date order, after the opening."""
    problems: list[Problem] = []
    previous_status, previous_date = "open", opened
    for index, change in enumerate(history):
        path = join(prefix, f"[{index}]")
        if change.status not in STATUSES:
            problems += [
                (
                    join(path, "status"),
                    _("'{key}' is not a known value for {kind}.").format(
                        kind=kind_name("status"), key=shown(change.status)
                    ),
                )
            ]
            continue
        date_path = join(path, "date")
        found = past_problems(change.date, date_path, today)
        if not found and change.date < opened:
            found = [
                (
                    date_path,
                    _("The status cannot change before the case was opened ({opened}).").format(
                        opened=format_date(opened)
                    ),
                )
            ]
        if not found and change.date < previous_date:
            found = [(date_path, _("Status changes must be in date order."))]
        problems += found
        if change.status == previous_status:
            problems.append(
                (join(path, "status"), _("The case already has this status at that moment."))
            )
        previous_status, previous_date = change.status, max(change.date, previous_date)
    return problems


def conversation_problems(
    conversation: Conversation,
    taxonomy: Taxonomy,
    opened: dt.date,
    today: dt.date,
    prefix: str = "",
) -> list[Problem]:
    """A conversation: held between opening and today, a sensible duration, known mode."""
    p = prefix
    problems = event_problems(conversation.date, join(p, "date"), opened, today)
    minutes = conversation.minutes
    if minutes is not None and not 0 <= minutes <= 1440:
        problems.append((join(p, "minutes"), _("The duration must be from 0 to 1440 minutes.")))
    problems += key_problems(taxonomy, "mode", conversation.mode, join(p, "mode"))
    if conversation.follow_up is not None and conversation.follow_up < conversation.date:
        problems.append(
            (join(p, "follow_up"), _("The follow-up date lies before the conversation."))
        )
    for name in ("notes", "advice", "next_steps"):
        problems += text_problems(getattr(conversation, name), join(p, name))
    return problems


def route_problems(
    route: Route, taxonomy: Taxonomy, opened: dt.date, today: dt.date, prefix: str = ""
) -> list[Problem]:
    """A route: known key, started between opening and today, milestones in order."""
    p = prefix
    if not route.route:
        problems = [(join(p, "route"), _("The route is missing."))]
    else:
        problems = key_problems(taxonomy, "route", route.route, join(p, "route"))
    problems += event_problems(route.date, join(p, "date"), opened, today)
    for name in ("filed", "acknowledged", "feedback", "ended"):
        value: dt.date | None = getattr(route, name)
        path = join(p, name)
        found = past_problems(value, path, today)
        if not found and value is not None and value < route.date:
            found = [(path, _("A milestone cannot lie before the start of the route."))]
        if (
            not found
            and value is not None
            and name in ("acknowledged", "feedback")
            and route.filed is not None
            and value < route.filed
        ):
            found = [(path, _("This milestone cannot lie before the date of filing."))]
        problems += found
    if route.ended is not None:
        earlier = [d for d in (route.filed, route.acknowledged, route.feedback) if d is not None]
        if earlier and route.ended < max(earlier):
            problems.append(
                (join(p, "ended"), _("The route cannot end before its other milestones."))
            )
    problems += key_problems(taxonomy, "manner", route.manner, join(p, "manner"))
    if route.manner is not None and route.route not in MANNER_ROUTES:
        problems.append(
            (
                join(p, "manner"),
                _("Only a complaint, an integrity report or a whistleblower report has a manner."),
            )
        )
    problems += key_problems(taxonomy, "route_outcome", route.outcome, join(p, "outcome"))
    problems += key_problems(taxonomy, "measure", route.measure, join(p, "measure"))
    return problems


def referral_problems(
    referral: Referral, taxonomy: Taxonomy, opened: dt.date, today: dt.date, prefix: str = ""
) -> list[Problem]:
    """A referral: known destination, dated between opening and today, a short note."""
    p = prefix
    if not referral.destination:
        problems = [(join(p, "to"), _("The referral's destination is missing."))]
    else:
        problems = key_problems(taxonomy, "destination", referral.destination, join(p, "to"))
    problems += event_problems(referral.date, join(p, "date"), opened, today)
    problems += text_problems(referral.note, join(p, "note"))
    return problems
