"""Provides `Organisation` and `OrganisationRules`: each organisation's own rules.

External advisers serve several organisations at once (a party, its parliamentary group, a
municipality) and their codes of conduct differ on exactly the points the app applies: the
complaint period, whether a complaint or melding may be anonymous, whether the adviser may
mediate, who receives the yearly report (DOMAIN.md §5-§7). The rules live in the vault as
one JSON object per organisation; this module validates them (`rules_from_dict`, strict, for
what the adviser or a script gives) and reads them back (`rules_from_stored`, which gives
every rule added later its default).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from confidant_tui.domain.taxonomy import Taxonomy, Term
from confidant_tui.errors import InvalidInput
from confidant_tui.i18n import N_, _
from confidant_tui.settings import is_month_day

RULES_FORMAT = 1
"""Version of the stored JSON form of the rules."""

ADVISER_POSITIONS = ("internal", "external")
ADVISER_SERVES = ("members", "staff", "both")
OWN_PREFIX = "own."
"""Keys of an organisation's own destinations and measures start with this, so they can
never clash with a shipped key (units keep bare keys: 0.1.0's `extra_levels` were bare)."""

NAME_LIMIT = 200
LABEL_LIMIT = 100
TEXT_LIMIT = 4000

DEFAULT_CONFIDENTIALITY = N_(
    "What you tell me stays between us: I do not pass it on without your consent. That is "
    'the rule, and it has a few exceptions ("vertrouwelijk, tenzij"). If I learn of a '
    "serious danger to you or to others, or if the law obliges me to report or to give "
    "evidence, I may have to break that confidentiality. Then I tell you first, before I "
    "share anything, and I share only what is needed and only with whom it must go. I keep "
    "notes of our conversations in a locked file that only I can open, and I destroy them "
    "when your case is closed and counted (anonymously) in the yearly report."
)
"""The default "vertrouwelijk, tenzij" explanation, after the LVV model protocol."""

PERIOD_YEARS = (1, 10)
THRESHOLD = (3, 20)
RETENTION_YEARS = (1, 10)

_KEY = re.compile(r"^[a-z0-9_]+(\.[a-z0-9_]+)?$")


@dataclass(frozen=True)
class Unit:
    """A unit (level) of the organisation, or one of its own measures: a key and a label."""

    key: str
    label: str


@dataclass(frozen=True)
class Destination:
    """One of the organisation's own referral destinations."""

    key: str
    label: str
    description: str = ""


@dataclass(frozen=True)
class OrganisationRules:
    """Everything an organisation decides for itself (defaults: DOMAIN.md).

    Attributes:
        units: its units, used as levels next to the shipped ones.
        escalation: the chain a complaint climbs, as level keys (`local` -> `regional` ...).
        complaints_committee: the name of its complaints committee ("" if none).
        integrity_desk: the name of its integrity desk or meldpunt.
        board: the name of its board.
        report_recipients: who receives the yearly report ("het bestuur, afschrift aan de OR").
        complaint_period_years: how long after the last incident a complaint can be filed.
        complaint_written_only: a complaint must be written.
        complaint_anonymous: a complaint may be anonymous.
        melding_anonymous: a melding may be anonymous.
        melding_confidential: the adviser may file a melding for the reporter, the identity
            known only to the adviser.
        adviser_may_mediate: the adviser may mediate.
        adviser_position: "internal" or "external".
        adviser_serves: "members", "staff" or "both".
        appointed_on: start of the adviser's term of appointment.
        appointed_until: its end.
        confidentiality_text: the "vertrouwelijk, tenzij" text ("" means the default).
        destinations: its own referral destinations.
        measures: its own measures, next to the shipped ones.
        report_due: when the yearly report is due, "MM-DD".
        report_threshold: counts below this are hidden in its yearly report (k).
        retention_years: the longest a closed case is kept.
    """

    units: tuple[Unit, ...] = ()
    escalation: tuple[str, ...] = ()
    complaints_committee: str = ""
    integrity_desk: str = ""
    board: str = ""
    report_recipients: str = ""
    complaint_period_years: int = 3
    complaint_written_only: bool = True
    complaint_anonymous: bool = False
    melding_anonymous: bool = True
    melding_confidential: bool = True
    adviser_may_mediate: bool = False
    adviser_position: str = "external"
    adviser_serves: str = "both"
    appointed_on: dt.date | None = None
    appointed_until: dt.date | None = None
    confidentiality_text: str = ""
    destinations: tuple[Destination, ...] = ()
    measures: tuple[Unit, ...] = ()
    report_due: str = "03-01"
    report_threshold: int = 5
    retention_years: int = 2

    def confidentiality(self) -> str:
        """The text the adviser explains at intake: the organisation's own, or the default."""
        return self.confidentiality_text or _(DEFAULT_CONFIDENTIALITY)

    def report_due_on(self, year: int) -> dt.date:
        """The due date of the report on `year` (see `report_due_day`)."""
        return report_due_day(self.report_due, year)

    def own_terms(self) -> tuple[Term, ...]:
        """The organisation's units, destinations and measures as taxonomy terms."""
        terms = [Term("level", u.key, {"nl": u.label, "en": u.label}) for u in self.units]
        terms += [
            Term("destination", d.key, {"nl": d.label, "en": d.label}) for d in self.destinations
        ]
        terms += [Term("measure", m.key, {"nl": m.label, "en": m.label}) for m in self.measures]
        return tuple(terms)


def report_due_day(report_due: str, year: int) -> dt.date:
    """The due date of the report on `year`: `report_due` ("MM-DD") in the year after (29
    February falls on 28 February in a year without it)."""
    month, day = (int(part) for part in report_due.split("-"))
    try:
        return dt.date(year + 1, month, day)
    except ValueError:
        return dt.date(year + 1, month, day - 1)


@dataclass(frozen=True)
class Organisation:
    """An organisation of the vault.

    Attributes:
        id: its row id.
        name: its name (unique in the vault).
        rules: its rules.
        archived: the day it was archived (it keeps its cases and reports), or None.
        is_default: new cases and imported cases that name none belong to it.
    """

    id: int
    name: str
    rules: OrganisationRules = field(default_factory=OrganisationRules)
    archived: dt.date | None = None
    is_default: bool = False

    @property
    def active(self) -> bool:
        """Whether new cases may be opened for it."""
        return self.archived is None


def taxonomy_for(base: Taxonomy, organisations: Iterable[Organisation]) -> Taxonomy:
    """The shipped taxonomy plus the own terms of `organisations` (the first label wins)."""
    return base.with_terms(t for org in organisations for t in org.rules.own_terms())


def check_name(name: object) -> str:
    """An organisation's name, stripped.

    Raises:
        InvalidInput: empty, too long, or holding control characters.
    """
    if not isinstance(name, str) or not name.strip():
        raise InvalidInput(_("Enter the name of the organisation."))
    text = name.strip()
    if len(text) > NAME_LIMIT:
        raise InvalidInput(_("Use at most {limit} characters.").format(limit=NAME_LIMIT))
    if any(unicodedata.category(ch) == "Cc" for ch in text):
        raise InvalidInput(_("The name of the organisation cannot hold control characters."))
    return text


def key_for(label: str, taken: Iterable[str], prefix: str = "") -> str:
    """A stable key made from a label ("Jongerenafdeling" -> "jongerenafdeling"), unique
    among `taken` (a number is added when needed)."""
    ascii_text = unicodedata.normalize("NFKD", label).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "_", ascii_text.lower()).strip("_")[:40] or "unit"
    used = set(taken)
    key, number = prefix + slug, 2
    while key in used:
        key, number = f"{prefix}{slug}_{number}", number + 1
    return key


# -- reading and checking the JSON form --------------------------------------------------

FIELD_LABELS: dict[str, str] = {
    "units": N_("units"),
    "escalation": N_("escalation chain"),
    "complaints_committee": N_("complaints committee"),
    "integrity_desk": N_("integrity desk"),
    "board": N_("board"),
    "report_recipients": N_("recipients of the yearly report"),
    "complaint_period_years": N_("complaint period (years)"),
    "complaint_written_only": N_("complaint in writing only"),
    "complaint_anonymous": N_("anonymous complaint allowed"),
    "melding_anonymous": N_("anonymous melding allowed"),
    "melding_confidential": N_("melding via the adviser allowed"),
    "adviser_may_mediate": N_("adviser may mediate"),
    "adviser_position": N_("adviser internal or external"),
    "adviser_serves": N_("adviser for members, staff or both"),
    "appointed_on": N_("appointed on"),
    "appointed_until": N_("appointed until"),
    "confidentiality_text": N_("confidentiality text"),
    "destinations": N_("own referral destinations"),
    "measures": N_("own measures"),
    "report_due": N_("yearly report due (MM-DD)"),
    "report_threshold": N_("report: smallest count shown"),
    "retention_years": N_("retention (years after closing)"),
}
"""The adviser-facing name of each rule (for messages and forms)."""


def field_label(name: str) -> str:
    """The adviser-facing name of a rule, in the interface language."""
    return _(FIELD_LABELS[name])


def _problem(name: str, text: str) -> InvalidInput:
    return InvalidInput(_("{rule}: {problem}").format(rule=field_label(name), problem=text))


def _text(name: str, value: object, limit: int) -> str:
    if not isinstance(value, str):
        raise _problem(name, _("enter text."))
    text = value.strip()
    if len(text) > limit:
        raise _problem(name, _("use at most {limit} characters.").format(limit=limit))
    if any(unicodedata.category(ch) == "Cc" and ch not in "\n\t" for ch in text):
        raise _problem(name, _("control characters are not allowed."))
    return text


def _number(name: str, value: object, bounds: tuple[int, int]) -> int:
    low, high = bounds
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise _problem(
            name, _("enter a whole number from {low} to {high}.").format(low=low, high=high)
        )
    return value


def _flag(name: str, value: object) -> bool:
    if not isinstance(value, bool):
        raise _problem(name, _("answer yes or no."))
    return value


def _choice(name: str, value: object, choices: tuple[str, ...]) -> str:
    if value not in choices:
        raise _problem(name, _("choose one of: {choices}.").format(choices=", ".join(choices)))
    return str(value)


def _date(name: str, value: object) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(str(value)) if isinstance(value, str) else _bad_date(name)
    except ValueError:
        return _bad_date(name)


def _bad_date(name: str) -> dt.date:
    raise _problem(name, _("enter a date as YYYY-MM-DD."))


def _keyed(
    name: str, value: object, prefix: str, *, described: bool = False
) -> tuple[dict[str, str], ...]:
    if not isinstance(value, list):
        raise _problem(name, _("give a list."))
    items: list[dict[str, str]] = []
    seen: set[str] = set()
    for entry in value:
        if not isinstance(entry, Mapping):
            raise _problem(name, _("each entry needs a key and a label."))
        unknown = set(entry) - {"key", "label", "description"}
        if unknown or (not described and "description" in entry):
            raise _problem(name, _("each entry needs a key and a label."))
        label = _text(name, entry.get("label"), LABEL_LIMIT)
        if not label:
            raise _problem(name, _("each entry needs a label."))
        key = entry.get("key") or key_for(label, seen, prefix)
        if not isinstance(key, str) or not _KEY.match(key) or not key.startswith(prefix):
            raise _problem(name, _("the key '{key}' is not valid.").format(key=key))
        if key in seen:
            raise _problem(name, _("the key '{key}' appears twice.").format(key=key))
        seen.add(key)
        item = {"key": key, "label": label}
        if described:
            item["description"] = _text(name, entry.get("description", ""), TEXT_LIMIT)
        items.append(item)
    return tuple(items)


_TEXTS = {
    "complaints_committee": LABEL_LIMIT,
    "integrity_desk": LABEL_LIMIT,
    "board": LABEL_LIMIT,
    "report_recipients": 200,
    "confidentiality_text": TEXT_LIMIT,
}
_FLAGS = (
    "complaint_written_only",
    "complaint_anonymous",
    "melding_anonymous",
    "melding_confidential",
    "adviser_may_mediate",
)
_NUMBERS = {
    "complaint_period_years": PERIOD_YEARS,
    "report_threshold": THRESHOLD,
    "retention_years": RETENTION_YEARS,
}


def rules_from_dict(
    data: Mapping[str, Any], base: OrganisationRules | None = None
) -> OrganisationRules:
    """Checks rules given by the adviser or a script and applies them to `base`.

    Args:
        data: rule name -> value in the JSON form (`rules_to_dict`); absent rules keep
            `base`'s value.
        base: the rules before (default: every default).

    Raises:
        InvalidInput: an unknown rule or a wrong value, naming the rule.
    """
    rules = base or OrganisationRules()
    known = {name for name in FIELD_LABELS} | {"format"}
    for name in data:
        if name not in known:
            raise InvalidInput(_("Unknown rule '{name}'.").format(name=name))
    changes: dict[str, Any] = {}
    for name, value in data.items():
        if name == "format":
            continue
        if name in _TEXTS:
            changes[name] = _text(name, value, _TEXTS[name])
        elif name in _FLAGS:
            changes[name] = _flag(name, value)
        elif name in _NUMBERS:
            changes[name] = _number(name, value, _NUMBERS[name])
        elif name == "adviser_position":
            changes[name] = _choice(name, value, ADVISER_POSITIONS)
        elif name == "adviser_serves":
            changes[name] = _choice(name, value, ADVISER_SERVES)
        elif name in ("appointed_on", "appointed_until"):
            changes[name] = _date(name, value)
        elif name == "report_due":
            if not isinstance(value, str) or not is_month_day(value):
                raise _problem(name, _("enter a month and day as MM-DD, for example 03-01."))
            changes[name] = value
        elif name == "units":
            changes[name] = tuple(Unit(i["key"], i["label"]) for i in _keyed(name, value, ""))
        elif name == "measures":
            items = _keyed(name, value, OWN_PREFIX)
            changes[name] = tuple(Unit(i["key"], i["label"]) for i in items)
        elif name == "destinations":
            items = _keyed(name, value, OWN_PREFIX, described=True)
            changes[name] = tuple(
                Destination(i["key"], i["label"], i["description"]) for i in items
            )
        elif name == "escalation":
            if not isinstance(value, list) or not all(
                isinstance(v, str) and _KEY.match(v) for v in value
            ):
                raise _problem(name, _("give a list of level keys."))
            if len(set(value)) != len(value):
                raise _problem(name, _("a level appears twice."))
            changes[name] = tuple(value)
    rules = replace(rules, **changes)
    if (
        rules.appointed_on is not None
        and rules.appointed_until is not None
        and rules.appointed_until < rules.appointed_on
    ):
        raise _problem("appointed_until", _("the term cannot end before it starts."))
    return rules


def check_escalation(rules: OrganisationRules, taxonomy: Taxonomy) -> None:
    """Refuses an escalation chain naming a level neither shipped nor the organisation's own.

    Raises:
        InvalidInput: naming the unknown level.
    """
    own = {unit.key for unit in rules.units}
    for key in rules.escalation:
        if key not in own and not taxonomy.is_valid("level", key):
            raise _problem("escalation", _("there is no level '{key}'.").format(key=key))


def rules_to_dict(rules: OrganisationRules) -> dict[str, Any]:
    """The JSON form of the rules (stored in the vault; read back by `rules_from_stored`)."""
    return {
        "format": RULES_FORMAT,
        "units": [{"key": u.key, "label": u.label} for u in rules.units],
        "escalation": list(rules.escalation),
        "complaints_committee": rules.complaints_committee,
        "integrity_desk": rules.integrity_desk,
        "board": rules.board,
        "report_recipients": rules.report_recipients,
        "complaint_period_years": rules.complaint_period_years,
        "complaint_written_only": rules.complaint_written_only,
        "complaint_anonymous": rules.complaint_anonymous,
        "melding_anonymous": rules.melding_anonymous,
        "melding_confidential": rules.melding_confidential,
        "adviser_may_mediate": rules.adviser_may_mediate,
        "adviser_position": rules.adviser_position,
        "adviser_serves": rules.adviser_serves,
        "appointed_on": _iso(rules.appointed_on),
        "appointed_until": _iso(rules.appointed_until),
        "confidentiality_text": rules.confidentiality_text,
        "destinations": [
            {"key": d.key, "label": d.label, "description": d.description}
            for d in rules.destinations
        ],
        "measures": [{"key": m.key, "label": m.label} for m in rules.measures],
        "report_due": rules.report_due,
        "report_threshold": rules.report_threshold,
        "retention_years": rules.retention_years,
    }


def _iso(day: dt.date | None) -> str | None:
    return None if day is None else day.isoformat()


def rules_from_stored(data: Mapping[str, Any]) -> OrganisationRules:
    """Reads rules stored by `rules_to_dict` (of this or an older version): a rule added
    since is absent and gets its default.

    Raises:
        InvalidInput: the stored rules are not valid (only a hand-edited vault does that).
    """
    if data.get("format", RULES_FORMAT) > RULES_FORMAT:
        raise InvalidInput(_("This vault was written by a newer version of Confidant."))
    return rules_from_dict(dict(data))
