"""Provides what the organisation form reads from its fields: the rules, or the problems.

The form shows each rule as text the adviser can type (units one per line, the escalation
chain as "Lokaal → Gewest", the report's due day as "1 maart"); these functions turn that
text into the JSON form `services.organisations` takes (`domain.organisation.rules_to_dict`)
and back. Every rule is checked on its own first, so each problem is shown beside its own
field; then the rules together (an escalation chain naming a new unit, a term that ends
before it starts).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from difflib import SequenceMatcher
from typing import Any

from confidant_tui.domain.organisation import (
    OWN_PREFIX,
    Destination,
    OrganisationRules,
    Unit,
    check_escalation,
    field_label,
    key_for,
    rules_from_dict,
)
from confidant_tui.domain.taxonomy import Taxonomy
from confidant_tui.errors import InvalidInput
from confidant_tui.i18n import _, format_date
from confidant_tui.ui.presenters.month_day import format_month_day, read_day_month
from confidant_tui.ui.widgets.date_field import read_date

TEXT_RULES = ("complaints_committee", "integrity_desk", "board", "report_recipients")
NUMBER_RULES = ("complaint_period_years", "report_threshold", "retention_years")
FLAG_RULES = (
    "complaint_written_only",
    "complaint_anonymous",
    "melding_anonymous",
    "melding_confidential",
    "adviser_may_mediate",
)
CHOICE_RULES = ("adviser_position", "adviser_serves")
DATE_RULES = ("appointed_on", "appointed_until")
LINE_RULES = ("units", "destinations", "measures")
ARROW = " → "
_CHAIN_SPLIT = re.compile(r"→|->|,|;")

Problems = list[tuple[str, str]]


def _problem(rule: str, text: str) -> str:
    return _("{rule}: {problem}").format(rule=field_label(rule), problem=text)


# -- showing the rules as field values ---------------------------------------------------


def field_values(rules: OrganisationRules, taxonomy: Taxonomy) -> dict[str, Any]:
    """The value of every rule's field: text for typed fields, a bool for a tick box."""
    values: dict[str, Any] = {name: getattr(rules, name) for name in TEXT_RULES + FLAG_RULES}
    values.update({name: str(getattr(rules, name)) for name in NUMBER_RULES})
    values.update({name: getattr(rules, name) for name in CHOICE_RULES})
    values.update({name: format_date(getattr(rules, name)) for name in DATE_RULES})
    values["units"] = "\n".join(unit.label for unit in rules.units)
    values["measures"] = "\n".join(measure.label for measure in rules.measures)
    values["destinations"] = "\n".join(
        f"{d.label}: {d.description}" if d.description else d.label for d in rules.destinations
    )
    own = {unit.key: unit.label for unit in rules.units}
    values["escalation"] = ARROW.join(
        own.get(key) or taxonomy.label("level", key) for key in rules.escalation
    )
    values["confidentiality_text"] = rules.confidentiality_text
    values["report_due"] = format_month_day(rules.report_due)
    return values


# -- reading the fields back -------------------------------------------------------------


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def keep_keys(
    labels: Sequence[str],
    previous: Sequence[str],
    previous_keys: Sequence[str],
    *,
    prefix: str,
    reserved: set[str],
) -> list[str]:
    """The key of each of `labels`: a line left alone or edited in place keeps the key of
    the line it was; a new line gets a new key (`key_for`), never one used before.

    Args:
        labels: the lines now.
        previous: the labels before, in order; `previous_keys` their keys.
        prefix: the prefix of new keys (`own.` for destinations and measures).
        reserved: keys a new line may not take (the shipped ones).
    """
    keys: list[str | None] = [None] * len(labels)
    unused = dict(zip(previous, previous_keys, strict=True))
    for index, label in enumerate(labels):  # a line left alone, wherever it moved
        if label in unused:
            keys[index] = unused.pop(label)
    free = set(unused.values())
    matcher = SequenceMatcher(None, list(previous), list(labels), autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "replace":
            continue
        old = [k for k in previous_keys[i1:i2] if k in free]
        new = [j for j in range(j1, j2) if keys[j] is None]
        for key, index in zip(old, new, strict=False):  # edited in place
            keys[index] = key
            free.discard(key)
    taken = set(previous_keys) | reserved
    result: list[str] = []
    for label, kept in zip(labels, keys, strict=True):
        key = kept if kept is not None else key_for(label, taken, prefix)
        taken.add(key)
        result.append(key)
    return result


def _units(text: str, before: Sequence[Unit], prefix: str, reserved: set[str]) -> list[dict]:
    labels = _lines(text)
    keys = keep_keys(
        labels,
        [u.label for u in before],
        [u.key for u in before],
        prefix=prefix,
        reserved=reserved,
    )
    return [{"key": k, "label": label} for k, label in zip(keys, labels, strict=True)]


def _destinations(text: str, before: Sequence[Destination]) -> list[dict]:
    pairs = [line.partition(":") for line in _lines(text)]
    labels = [label.strip() for label, _sep, _rest in pairs]
    keys = keep_keys(
        labels,
        [d.label for d in before],
        [d.key for d in before],
        prefix=OWN_PREFIX,
        reserved=set(),
    )
    return [
        {"key": key, "label": label, "description": rest.strip()}
        for key, label, (_l, _sep, rest) in zip(keys, labels, pairs, strict=True)
    ]


def escalation_keys(text: str, units: Sequence[Mapping[str, str]], taxonomy: Taxonomy) -> list[str]:
    """The level keys of a chain typed as labels or keys ("Lokaal → Gewest", "local,regional").

    Raises:
        ValueError: naming the level that is neither the organisation's nor shipped.
    """
    names: dict[str, str] = {}
    for key in taxonomy.keys("level"):
        names[key.casefold()] = key
        names[taxonomy.label("level", key).casefold()] = key
    for unit in units:
        names[unit["key"].casefold()] = unit["key"]
        names[unit["label"].casefold()] = unit["key"]
    keys: list[str] = []
    for part in _CHAIN_SPLIT.split(text):
        name = part.strip()
        if not name:
            continue
        if name.casefold() not in names:
            raise ValueError(
                _problem("escalation", _("there is no level '{key}'.").format(key=name))
            )
        keys.append(names[name.casefold()])
    return keys


def _number(text: str) -> int | str:
    stripped = str(text).strip()
    return int(stripped) if stripped.isascii() and stripped.isdigit() else stripped


def _iso(text: str, today: dt.date) -> str | None:
    day = read_date(text, today)
    return None if day is None else day.isoformat()


def read_rules(
    values: Mapping[str, Any], base: OrganisationRules, taxonomy: Taxonomy, today: dt.date
) -> tuple[dict[str, Any], Problems]:
    """The changes to `base` that the fields hold (the JSON form), and the problems.

    Args:
        values: field name -> value, as `field_values` gives them (the adviser's edits).
        base: the rules before (the defaults for a new organisation).
        taxonomy: the shipped taxonomy (levels for the escalation chain).
        today: the day "t" stands for in a date.

    Returns:
        `(changes, problems)`: every rule in `changes` when `problems` is empty.
    """
    changes: dict[str, Any] = {}
    problems: Problems = []
    shipped_levels = set(taxonomy.keys("level"))

    def attempt(name: str, read: Any) -> None:
        try:
            value = read()
            rules_from_dict({name: value}, base)
        except ValueError as error:  # a field that cannot be read: its own message
            problems.append((name, str(error)))
        except InvalidInput as error:
            problems.append((name, error.message))
        else:
            changes[name] = value

    for name in TEXT_RULES:
        attempt(name, lambda name=name: str(values[name]))
    for name in NUMBER_RULES:
        attempt(name, lambda name=name: _number(values[name]))
    for name in FLAG_RULES:
        attempt(name, lambda name=name: bool(values[name]))
    for name in CHOICE_RULES:
        attempt(name, lambda name=name: values[name])
    for name in DATE_RULES:
        attempt(name, lambda name=name: _iso(str(values[name]), today))
    attempt("units", lambda: _units(values["units"], base.units, "", shipped_levels))
    attempt("measures", lambda: _units(values["measures"], base.measures, OWN_PREFIX, set()))
    attempt("destinations", lambda: _destinations(values["destinations"], base.destinations))
    units = changes.get("units", [])
    kept = {unit["key"] for unit in units}
    # a unit renamed on this form may still be named by its old label in the chain
    known = [{"key": u.key, "label": u.label} for u in base.units if u.key in kept] + units
    attempt("escalation", lambda: escalation_keys(values["escalation"], known, taxonomy))
    attempt("confidentiality_text", lambda: str(values["confidentiality_text"]))
    attempt("report_due", lambda: _due(str(values["report_due"])))
    if problems:
        return changes, problems
    try:
        rules = rules_from_dict(changes, base)
        check_escalation(rules, taxonomy)
    except InvalidInput as error:
        problems.append((_rule_of(error.message), error.message))
    return changes, problems


def _due(text: str) -> str:
    return read_day_month(text)


def _rule_of(message: str) -> str:
    """The rule a message of the domain names (its label comes first), for placing it."""
    for name in ("appointed_until", "escalation"):
        if message.startswith(field_label(name)):
            return name
    return ""
