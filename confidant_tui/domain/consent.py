"""Provides the consent ledger of a case: consents, their withdrawals, and what holds when.

A consent says what the reporter agreed to (a purpose, and for a referral its destination),
which facts it covers (scope keys), whether it was given orally or in writing, and when.
Withdrawing it is a separate, later record: nothing is ever changed, so the ledger can
answer both "what is consented now" and "what was consented at moment T" — the second is
what shows, afterwards, that a disclosure with consent was covered when it happened.

A mistake in a consent is corrected by a new consent that points to the one it corrects
(`corrects`); the corrected record then no longer counts, but it stays in the ledger.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

from confidant_tui.domain.protocol_time import is_future, to_minute
from confidant_tui.errors import ValidationError
from confidant_tui.i18n import _, format_moment

PURPOSES = ("recording", "statistics", "referral", "third_party", "identity")
"""Consent purposes (DOMAIN.md appendix). `statistics` is opt-out: counted unless withdrawn."""

SCOPE_KEYS = (
    "name",
    "contact",
    "role",
    "work_situation",
    "categories",
    "period",
    "summary",
    "routes",
)
"""The facts a letter or a disclosure may carry (DOMAIN.md appendix)."""

IDENTITY_KEYS = frozenset({"name", "contact"})
"""Scope keys that reveal who the reporter is: sharing them needs an `identity` consent."""

FORMS = ("oral", "written")

REFERRAL_DESTINATIONS = (
    "occupational_health",
    "whistleblower_authority.advice",
    "whistleblower_authority.investigation",
    "gp",
    "social_work",
    "victim_support",
    "police",
    "sexual_violence_centre",
    "legal_aid",
    "complaints_committee",
    "integrity_desk",
    "other_adviser",
)


@dataclass(frozen=True)
class ConsentRecord:
    """One consent as the reporter gave it.

    Attributes:
        purpose: one of `PURPOSES`.
        scope: the scope keys it covers.
        form: `oral` or `written`.
        given_at: when it was given (a moment; a date-only consent counts from 00:00).
        destination: the referral destination (only, and always, for `referral`).
        id: the stored id (None before storing).
        corrects: the id of an earlier consent this record corrects and replaces.
        note: the adviser's remark (optional).
    """

    purpose: str
    scope: frozenset[str]
    form: str
    given_at: dt.datetime
    destination: str | None = None
    id: int | None = None
    corrects: int | None = None
    note: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "given_at", to_minute(self.given_at))
        object.__setattr__(self, "scope", frozenset(self.scope))


@dataclass(frozen=True)
class Withdrawal:
    """The reporter withdrew consent `consent_id` at `withdrawn_at` (a separate record)."""

    consent_id: int
    withdrawn_at: dt.datetime
    id: int | None = None
    note: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "withdrawn_at", to_minute(self.withdrawn_at))


LEDGER_TARGETS = ("consent", "withdrawal", "information_request", "information_answer")
"""The ledger entries an addendum may point to."""


@dataclass(frozen=True)
class LedgerAddendum:
    """A note correcting or completing a consent, withdrawal, request or answer.

    The entry itself never changes; the addendum says what was wrong and points to it.
    """

    target: str
    target_id: int
    at: dt.datetime
    text: str
    id: int | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "at", to_minute(self.at))


def addendum_problems(addendum: LedgerAddendum, *, now: dt.datetime) -> list[tuple[str, str]]:
    """Checks an addendum's own fields (the service checks that its target exists)."""
    problems: list[tuple[str, str]] = []
    if addendum.target not in LEDGER_TARGETS:
        problems.append(("target", _("An addendum must point to the entry it corrects.")))
    if not addendum.text.strip():
        problems.append(("text", _("An addendum needs its text.")))
    if is_future(addendum.at, now):
        problems.append(("at", _("An addendum cannot be dated in the future.")))
    return problems


@dataclass(frozen=True)
class ConsentLedger:
    """All consents and withdrawals of one case, in the order they were recorded."""

    consents: tuple[ConsentRecord, ...] = ()
    withdrawals: tuple[Withdrawal, ...] = ()

    def effective(self) -> tuple[ConsentRecord, ...]:
        """The consents that count: every record not corrected by a later one."""
        corrected = {c.corrects for c in self.consents if c.corrects is not None}
        return tuple(c for c in self.consents if c.id is None or c.id not in corrected)

    def by_id(self, consent_id: int) -> ConsentRecord | None:
        """The consent with this id, or None."""
        return next((c for c in self.consents if c.id == consent_id), None)

    def withdrawn_at(self, consent_id: int | None) -> dt.datetime | None:
        """When consent `consent_id` was withdrawn (the earliest withdrawal), or None."""
        moments = [w.withdrawn_at for w in self.withdrawals if w.consent_id == consent_id]
        return min(moments) if moments else None

    def matching(self, purpose: str, destination: str | None = None) -> list[ConsentRecord]:
        """Effective consents for a purpose (and, for a referral, its destination)."""
        return [
            c
            for c in self.effective()
            if c.purpose == purpose and (purpose != "referral" or c.destination == destination)
        ]

    def active_at(
        self, moment: dt.datetime, purpose: str, destination: str | None = None
    ) -> list[ConsentRecord]:
        """Consents given at or before `moment` and not withdrawn at or before it."""
        moment = to_minute(moment)
        found = []
        for consent in self.matching(purpose, destination):
            withdrawn = self.withdrawn_at(consent.id)
            if consent.given_at <= moment and (withdrawn is None or withdrawn > moment):
                found.append(consent)
        return found

    def consented_at(
        self, moment: dt.datetime, purpose: str, destination: str | None = None
    ) -> frozenset[str]:
        """The scope keys consented for this purpose (and destination) at `moment`.

        Args:
            moment: the moment asked about.
            purpose: one of `PURPOSES`.
            destination: the referral destination, for `referral`.

        Returns:
            The union of the scopes of the consents active then (empty when none).
        """
        keys: set[str] = set()
        for consent in self.active_at(moment, purpose, destination):
            keys |= consent.scope
        return frozenset(keys)

    def consented_now(
        self, purpose: str, destination: str | None = None, *, now: dt.datetime
    ) -> frozenset[str]:
        """The scope keys consented for this purpose (and destination) now."""
        return self.consented_at(now, purpose, destination)

    def counted_in_statistics(self, moment: dt.datetime) -> bool:
        """Statistics are opt-out: counted unless every statistics consent was withdrawn."""
        records = self.matching("statistics")
        return not records or bool(self.active_at(moment, "statistics"))


OWN_DESTINATION = re.compile(r"own\.[a-z0-9_]{1,60}")
"""The key of an organisation's own referral destination (`organisation.key_for`)."""


def is_referral_destination(key: str) -> bool:
    """A shipped destination, or an organisation's own (`own.*`; a consent may name one, and
    its letter is the general one)."""
    return key in REFERRAL_DESTINATIONS or OWN_DESTINATION.fullmatch(key) is not None


def _problem(problems: list[tuple[str, str]], field: str, message: str) -> None:
    problems.append((field, message))


def consent_problems(
    record: ConsentRecord, ledger: ConsentLedger, *, now: dt.datetime
) -> list[tuple[str, str]]:
    """Checks a new consent against the rules; returns (field, message) pairs.

    Args:
        record: the consent to record.
        ledger: the case's ledger so far (for `corrects`).
        now: the current moment (no consent is dated in the future).
    """
    problems: list[tuple[str, str]] = []
    if record.purpose not in PURPOSES:
        _problem(problems, "purpose", _("Unknown consent purpose."))
    if record.purpose == "referral":
        if not record.destination:
            _problem(problems, "destination", _("A consent to refer needs its destination."))
        elif not is_referral_destination(record.destination):
            _problem(problems, "destination", _("Unknown referral destination."))
    elif record.destination:
        _problem(problems, "destination", _("Only a consent to refer has a destination."))
    unknown = sorted(set(record.scope) - set(SCOPE_KEYS))
    if unknown:
        _problem(
            problems,
            "scope",
            _("Unknown scope key(s): {keys}.").format(keys=", ".join(unknown)),
        )
    if record.form not in FORMS:
        _problem(problems, "form", _("Say whether the consent was given orally or in writing."))
    if is_future(record.given_at, now):
        _problem(problems, "date", _("A consent cannot be dated in the future."))
    if record.corrects is not None:
        target = ledger.by_id(record.corrects)
        if target is None:
            _problem(problems, "corrects", _("The consent to correct does not exist."))
        elif target.id not in {c.id for c in ledger.effective()}:
            _problem(
                problems,
                "corrects",
                _("That consent was already corrected; correct the latest version."),
            )
        elif ledger.withdrawn_at(target.id) is not None:
            _problem(
                problems,
                "corrects",
                _("A withdrawn consent cannot be corrected; add an addendum instead."),
            )
    return problems


def withdrawal_problems(
    withdrawal: Withdrawal, ledger: ConsentLedger, *, now: dt.datetime
) -> list[tuple[str, str]]:
    """Checks a withdrawal against the ledger; returns (field, message) pairs."""
    problems: list[tuple[str, str]] = []
    target = ledger.by_id(withdrawal.consent_id)
    if target is None:
        _problem(problems, "consent", _("The consent to withdraw does not exist."))
        return problems
    if target.id not in {c.id for c in ledger.effective()}:
        _problem(
            problems,
            "consent",
            _("That consent was corrected; withdraw the latest version."),
        )
    if ledger.withdrawn_at(target.id) is not None:
        _problem(problems, "consent", _("That consent was already withdrawn."))
    if withdrawal.withdrawn_at < target.given_at:
        _problem(problems, "date", _("A consent cannot be withdrawn before it was given."))
    if is_future(withdrawal.withdrawn_at, now):
        _problem(problems, "date", _("A withdrawal cannot be dated in the future."))
    return problems


def check_consent(record: ConsentRecord, ledger: ConsentLedger, *, now: dt.datetime) -> None:
    """Raises `ValidationError` listing every rule the new consent breaks."""
    _raise(consent_problems(record, ledger, now=now), _("The consent cannot be recorded."))


def check_withdrawal(withdrawal: Withdrawal, ledger: ConsentLedger, *, now: dt.datetime) -> None:
    """Raises `ValidationError` listing every rule the withdrawal breaks."""
    _raise(
        withdrawal_problems(withdrawal, ledger, now=now),
        _("The withdrawal cannot be recorded."),
    )


def _raise(problems: Iterable[tuple[str, str]], summary: str) -> None:
    listed = list(problems)
    if listed:
        raise ValidationError(summary + " " + " ".join(m for _f, m in listed), listed)


def required_consent_purpose(shared: frozenset[str]) -> str:
    """`identity` when a name or contact detail is shared, else `third_party`."""
    return "identity" if shared & IDENTITY_KEYS else "third_party"


def disclosure_consent_problems(
    ledger: ConsentLedger, disclosed_at: dt.datetime, shared: frozenset[str]
) -> list[tuple[str, str]]:
    """Why no consent covers a disclosure with consent (empty when one does).

    The rule: one effective consent of purpose `identity` (when a name or contact detail is
    shared) or `third_party` (otherwise), given strictly before the disclosure, not
    withdrawn at or before it, whose scope contains every key shared.

    Args:
        ledger: the case's consent ledger.
        disclosed_at: the moment of the disclosure.
        shared: the scope keys shared.

    Returns:
        `("shared", message)` saying what is missing, or nothing.
    """
    at = to_minute(disclosed_at)
    purpose = required_consent_purpose(shared)
    candidates = ledger.matching(purpose)
    if not candidates:
        if purpose == "identity":
            message = _(
                "A name or contact detail is shared, but no consent to reveal the reporter's "
                "identity is recorded: record that consent before the disclosure."
            )
        else:
            message = _(
                "No consent to share with a third party is recorded: record the reporter's "
                "consent before the disclosure."
            )
        return [("shared", message)]
    given_before = [c for c in candidates if c.given_at < at]
    if not given_before:
        first = min(c.given_at for c in candidates)
        return [
            (
                "shared",
                _(
                    "The consent was given at {given}, not before the disclosure at {disclosed}."
                ).format(given=format_moment(first), disclosed=format_moment(at)),
            )
        ]
    live = []
    withdrawals = []
    for consent in given_before:
        withdrawn = ledger.withdrawn_at(consent.id)
        if withdrawn is not None and withdrawn <= at:
            withdrawals.append(withdrawn)
        else:
            live.append(consent)
    if not live:
        return [
            (
                "shared",
                _(
                    "The consent was withdrawn at {withdrawn}, before the disclosure at "
                    "{disclosed}."
                ).format(withdrawn=format_moment(max(withdrawals)), disclosed=format_moment(at)),
            )
        ]
    missing = min((sorted(shared - c.scope) for c in live), key=len)
    if missing:
        return [
            (
                "shared",
                _("The consent does not cover everything shared; not consented: {keys}.").format(
                    keys=", ".join(missing)
                ),
            )
        ]
    return []
