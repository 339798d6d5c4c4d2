"""Provides the `consents` and `protocol` entries of the interchange file: read, check, convert.

An imported `protocol` entry is one completed procedure. It is converted into the steps the
app would have recorded (legal basis, conditions, consent attempts, consultation, referral
offer, justification, prohibition to inform, informing, disclosure) and every step goes
through exactly the rules of `protocol_rules.record_step`, against the consents of the same
case in the file. So an import can never hold a disclosure the app would have refused.

Problems are `(path, message)` with full paths such as `cases[3].protocol[0].informed_at`.
Consent dates may be `YYYY-MM-DD` (counting from 00:00 that day) or a moment.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from confidant_tui.domain.consent import (
    ConsentLedger,
    ConsentRecord,
    Withdrawal,
    consent_problems,
    withdrawal_problems,
)
from confidant_tui.domain.protocol import (
    CONDITIONS,
    ConditionExplained,
    ConsentAttempt,
    Consultation,
    Disclosure,
    Informing,
    InformingForbidden,
    Justification,
    LegalBasis,
    Procedure,
    ReferralOffer,
    Step,
)
from confidant_tui.domain.protocol_rules import step_problems
from confidant_tui.domain.protocol_time import parse_moment, parse_moment_or_date
from confidant_tui.i18n import _

Problem = tuple[str, str]

CONSENT_KEYS = ("purpose", "destination", "scope", "form", "date", "withdrawn")
PROTOCOL_KEYS = (
    "ground",
    "legal_basis",
    "demanded_by",
    "conditions",
    "consent_attempts",
    "consulted",
    "informed_at",
    "informed_how",
    "reporter_reaction",
    "referral_offered",
    "disclosed_at",
    "recipient",
    "disclosed_how",
    "disclosed",
    "shared",
    "justification",
    "informing_forbidden_by",
    "informing_forbidden_reference",
)
"""The keys of a `protocol` entry; the last two record that informing was forbidden."""

_CONDITION_KEYS = {str(number): number for number in CONDITIONS}
"""The keys of `conditions`, ASCII digits only."""

_TEXT_KEYS = tuple(
    k for k in PROTOCOL_KEYS if k not in ("conditions", "shared", "informed_at", "disclosed_at")
)


@dataclass(frozen=True)
class ImportedConsent:
    """A consent from the file, with its withdrawal moment when `withdrawn` was set."""

    record: ConsentRecord
    withdrawn_at: dt.datetime | None = None


@dataclass(frozen=True)
class ImportedProcedure:
    """A completed procedure from the file: its opening and its steps in recording order."""

    opened_at: dt.datetime
    ground: str | None
    steps: tuple[Step, ...]


@dataclass(frozen=True)
class ImportedProtocol:
    """Everything of one case's `consents` and `protocol` entries, checked and converted."""

    consents: tuple[ImportedConsent, ...] = ()
    procedures: tuple[ImportedProcedure, ...] = ()


class _Reader:
    """Reads typed values, collecting problems instead of failing."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, path: str, message: str) -> None:
        if (path, message) not in self.problems:
            self.problems.append((path, message))

    def entries(self, raw: Any, path: str) -> list[Any]:
        if raw is None:
            return []
        if not isinstance(raw, list):
            self.add(path, _("Expected a list."))
            return []
        return raw

    def mapping(self, raw: Any, path: str, keys: tuple[str, ...]) -> Mapping[str, Any] | None:
        if not isinstance(raw, Mapping):
            self.add(path, _("Expected an object."))
            return None
        for key in raw:
            if key not in keys:
                self.add(f"{path}.{key}", _("Unknown key (check the spelling)."))
        return raw

    def text(self, raw: Mapping[str, Any], key: str, path: str) -> str:
        value = raw.get(key)
        if value is None:
            return ""
        if not isinstance(value, str):
            self.add(f"{path}.{key}", _("Expected text."))
            return ""
        return value

    def moment(self, raw: Mapping[str, Any], key: str, path: str, *, date_ok: bool) -> Any:
        value = raw.get(key)
        if value is None:
            return None
        try:
            return parse_moment_or_date(value) if date_ok else parse_moment(value)
        except (ValueError, TypeError):
            if date_ok:
                message = _("Not a date: use YYYY-MM-DD (or YYYY-MM-DDTHH:MM).")
            else:
                message = _("Not a moment: use YYYY-MM-DDTHH:MM, for example 2025-05-01T10:00.")
            self.add(f"{path}.{key}", message)
            return None

    def keys(self, raw: Mapping[str, Any], key: str, path: str) -> frozenset[str]:
        value = raw.get(key)
        if value is None:
            return frozenset()
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.add(f"{path}.{key}", _("Expected a list of scope keys."))
            return frozenset()
        return frozenset(value)


def _consents(reader: _Reader, raw: Any, path: str, now: dt.datetime) -> list[ImportedConsent]:
    found: list[ImportedConsent] = []
    ledger = ConsentLedger()
    for index, item in enumerate(reader.entries(raw, path)):
        where = f"{path}[{index}]"
        entry = reader.mapping(item, where, CONSENT_KEYS)
        if entry is None:
            continue
        before = len(reader.problems)
        purpose = reader.text(entry, "purpose", where)
        destination = reader.text(entry, "destination", where) or None
        form = reader.text(entry, "form", where)
        scope = reader.keys(entry, "scope", where)
        given = reader.moment(entry, "date", where, date_ok=True)
        withdrawn = reader.moment(entry, "withdrawn", where, date_ok=True)
        if entry.get("date") is None:
            reader.add(f"{where}.date", _("Give the date the consent was given."))
        if len(reader.problems) > before:
            continue
        record = ConsentRecord(purpose, scope, form, given, destination, id=index + 1)
        for field, message in consent_problems(record, ledger, now=now):
            reader.add(f"{where}.{field}", message)
        ledger = ConsentLedger((*ledger.consents, record), ledger.withdrawals)
        if withdrawn is not None:
            withdrawal = Withdrawal(index + 1, withdrawn)
            for _field, message in withdrawal_problems(withdrawal, ledger, now=now):
                reader.add(f"{where}.withdrawn", message)
            ledger = ConsentLedger(ledger.consents, (*ledger.withdrawals, withdrawal))
        found.append(ImportedConsent(record, withdrawn))
    return found


def _steps(
    reader: _Reader, entry: Mapping[str, Any], where: str, now: dt.datetime
) -> tuple[dt.datetime, list[tuple[str, Step]], Disclosure | None]:
    """The entry's steps as (key dating or holding it, step); the disclosure apart."""
    text = {key: reader.text(entry, key, where).strip() for key in _TEXT_KEYS}
    informed_at = reader.moment(entry, "informed_at", where, date_ok=False)
    disclosed_at = reader.moment(entry, "disclosed_at", where, date_ok=False)
    shared = reader.keys(entry, "shared", where)
    dated = [m for m in (informed_at, disclosed_at) if m is not None]
    opened = min([*dated, now]) if dated else now
    steps: list[tuple[str, Step]] = []
    if text["legal_basis"] or text["demanded_by"]:
        basis = LegalBasis(
            at=opened, legal_basis=text["legal_basis"], demanded_by=text["demanded_by"]
        )
        steps.append(("legal_basis", basis))
    conditions = entry.get("conditions")
    if conditions is not None:
        if not isinstance(conditions, Mapping):
            reader.add(f"{where}.conditions", _("Expected an object with the conditions 1 to 8."))
        else:
            for key, value in conditions.items():
                number = _CONDITION_KEYS.get(key, 0)  # "1" to "8"; never int("²")
                if number not in CONDITIONS:
                    reader.add(
                        f"{where}.conditions.{key}",
                        _("The LVV protocol has eight conditions; choose 1 to 8."),
                    )
                elif value is not None and not isinstance(value, str):
                    reader.add(f"{where}.conditions.{key}", _("Expected text."))
                elif value and value.strip():
                    steps.append(
                        (
                            f"conditions.{number}",
                            ConditionExplained(at=opened, number=number, explanation=value),
                        )
                    )
    for key, step in (
        ("consent_attempts", ConsentAttempt(at=opened, description=text["consent_attempts"])),
        ("consulted", Consultation(at=opened, consulted=text["consulted"])),
        (
            "referral_offered",
            ReferralOffer(at=opened, offered=None, explanation=text["referral_offered"]),
        ),
        ("justification", Justification(at=opened, text=text["justification"])),
    ):
        if text[key]:
            steps.append((key, step))
    if text["informing_forbidden_by"] or text["informing_forbidden_reference"]:
        forbidden = InformingForbidden(
            at=opened,
            forbidden_by=text["informing_forbidden_by"],
            reference=text["informing_forbidden_reference"],
        )
        steps.append(("informing_forbidden_by", forbidden))
    informing = None
    if informed_at is not None:
        informing = Informing(
            at=informed_at, how=text["informed_how"], reaction=text["reporter_reaction"]
        )
    afterwards = (
        informing is not None
        and disclosed_at is not None
        and informed_at > disclosed_at
        and any(isinstance(s, InformingForbidden) for _k, s in steps)
    )
    if informing is not None and not afterwards:
        steps.append(("informed_at", informing))
    disclosure = None
    if disclosed_at is None:
        if entry.get("disclosed_at") is None:
            reader.add(
                f"{where}.disclosed_at",
                _("A protocol entry records a disclosure: give its moment in disclosed_at."),
            )
    else:
        disclosure = Disclosure(
            at=disclosed_at,
            recipient=text["recipient"],
            how=text["disclosed_how"],
            what=text["disclosed"],
            shared=shared,
        )
        steps.append(("disclosed_at", disclosure))
    if informing is not None and afterwards:
        steps.append(("informed_at", informing))
    return opened, steps, disclosure


_STEP_FIELD_PATHS = {"at": None, "kind": None, "corrects": None}
"""Problem fields that name the step itself: reported at the key the step came from."""


def _procedures(
    reader: _Reader, raw: Any, path: str, ledger: ConsentLedger, now: dt.datetime
) -> list[ImportedProcedure]:
    found: list[ImportedProcedure] = []
    for index, item in enumerate(reader.entries(raw, path)):
        where = f"{path}[{index}]"
        entry = reader.mapping(item, where, PROTOCOL_KEYS)
        if entry is None:
            continue
        ground = reader.text(entry, "ground", where) or None
        opened, steps, disclosure = _steps(reader, entry, where, now)
        procedure = Procedure(opened_at=opened, ground=ground)
        reported: set[str] = set()
        for key, step in steps:
            problems = step_problems(procedure, step, ledger=ledger, now=now)
            for field, message in problems:
                target = f"{where}.{key if field in _STEP_FIELD_PATHS else field}"
                if target not in reported:  # one message per place: the first says it
                    reported.add(target)
                    reader.add(target, message)
            procedure = procedure.with_step(step)
        if disclosure is not None:
            found.append(ImportedProcedure(opened, ground, procedure.steps))
    return found


def parse_case_consents_and_protocol(
    case: Mapping[str, Any], path_prefix: str, now: dt.datetime
) -> tuple[ImportedProtocol, list[Problem]]:
    """Reads and checks one case's `consents` and `protocol` entries.

    Args:
        case: the case object of the file (only `consents` and `protocol` are read).
        path_prefix: the case's path, e.g. `cases[3]`.
        now: the current moment (no step, consent or withdrawal may lie after it).

    Returns:
        The converted records (meaningful only when there are no problems) and the
        problems, each `(path, message)`.
    """
    reader = _Reader()
    consents = _consents(reader, case.get("consents"), f"{path_prefix}.consents", now)
    ledger = ConsentLedger(
        tuple(c.record for c in consents),
        tuple(Withdrawal(c.record.id or 0, c.withdrawn_at) for c in consents if c.withdrawn_at),
    )
    procedures = _procedures(reader, case.get("protocol"), f"{path_prefix}.protocol", ledger, now)
    return ImportedProtocol(tuple(consents), tuple(procedures)), reader.problems


def validate_case_consents_and_protocol(
    case: Mapping[str, Any], path_prefix: str, now: dt.datetime
) -> list[Problem]:
    """The problems of one case's `consents` and `protocol` entries (empty: importable)."""
    return parse_case_consents_and_protocol(case, path_prefix, now)[1]
