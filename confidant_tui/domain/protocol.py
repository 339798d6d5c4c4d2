"""Provides the protocol procedure of "vertrouwelijk, tenzij": its grounds and its steps.

A procedure is opened on a case with its ground and built from steps recorded as they
happen, often over several days. Steps are never changed: a mistake is corrected by a new
step of the same kind that points to the one it corrects (`corrects`; the corrected step
then no longer counts), or by an `Addendum`, a note that points to any step and changes
nothing the rules look at. A `Disclosure` or an `Abandonment` closes the procedure.

The rules that decide whether a step may be recorded live in `protocol_rules`; this
module only describes the records and reads the state they add up to.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import ClassVar, TypeVar

from confidant_tui.domain.protocol_time import to_minute
from confidant_tui.i18n import _

GROUNDS = ("consent", "conscientious_distress", "duty_to_report", "duty_to_disclose")
"""Protocol grounds (DOMAIN.md appendix)."""

LEGAL_DUTIES = frozenset({"duty_to_report", "duty_to_disclose"})
"""Grounds that rest on a legal duty: they need the legal basis and who demands it."""

CONDITIONS = (1, 2, 3, 4, 5, 6, 7, 8)
"""The numbers of the eight conditions of the LVV protocol (23 May 2016)."""


def condition_title(number: int) -> str:
    """The short, translated title of LVV condition `number` (1-8)."""
    return {
        1: _("serious conscientious distress"),
        2: _("everything done to obtain consent"),
        3: _("no other way out"),
        4: _("silence almost certainly causes harm"),
        5: _("disclosure prevents or limits the harm"),
        6: _("reporter told beforehand"),
        7: _("referral to another adviser offered"),
        8: _("justified in writing"),
    }[number]


@dataclass(frozen=True, kw_only=True)
class Step:
    """What every step has: when it happened, its stored id, and what it corrects.

    Attributes:
        at: when it happened (a moment, local time, to the minute).
        id: the stored id (None before storing).
        corrects: the id of an earlier step this one corrects (same kind; for an
            `Addendum`, any step).
    """

    kind: ClassVar[str] = ""
    at: dt.datetime
    id: int | None = None
    corrects: int | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "at", to_minute(self.at))


@dataclass(frozen=True, kw_only=True)
class GroundChosen(Step):
    """The ground is chosen (or changed) after the procedure was opened."""

    kind: ClassVar[str] = "ground"
    ground: str


@dataclass(frozen=True, kw_only=True)
class LegalBasis(Step):
    """For a legal duty: the legal basis (e.g. art. 160 Sv) and who demands disclosure."""

    kind: ClassVar[str] = "legal_basis"
    legal_basis: str
    demanded_by: str


@dataclass(frozen=True, kw_only=True)
class ConditionExplained(Step):
    """One LVV condition (1-8) with the adviser's own explanation."""

    kind: ClassVar[str] = "condition"
    number: int
    explanation: str


@dataclass(frozen=True, kw_only=True)
class ConsentAttempt(Step):
    """An attempt to obtain the reporter's consent, and how it went."""

    kind: ClassVar[str] = "consent_attempt"
    description: str


@dataclass(frozen=True, kw_only=True)
class Consultation(Step):
    """A colleague or the LVV helpdesk was consulted, with the case anonymised."""

    kind: ClassVar[str] = "consultation"
    consulted: str
    notes: str = ""


@dataclass(frozen=True, kw_only=True)
class Informing(Step):
    """The reporter was told of the intention to disclose (`at`), how, and the reaction."""

    kind: ClassVar[str] = "informing"
    how: str = ""
    reaction: str = ""


@dataclass(frozen=True, kw_only=True)
class InformingForbidden(Step):
    """Under a duty to disclose, the demanding authority forbade informing the reporter."""

    kind: ClassVar[str] = "informing_forbidden"
    forbidden_by: str
    reference: str


@dataclass(frozen=True, kw_only=True)
class ReferralOffer(Step):
    """Referral to another adviser: offered (and how), or why not (`offered` may be unknown)."""

    kind: ClassVar[str] = "referral_offer"
    offered: bool | None
    explanation: str


@dataclass(frozen=True, kw_only=True)
class Justification(Step):
    """The written justification of the decision (*motivering*)."""

    kind: ClassVar[str] = "justification"
    text: str


@dataclass(frozen=True, kw_only=True)
class Disclosure(Step):
    """Confidentiality was broken: when (`at`), to whom, how, what, and which scope keys."""

    kind: ClassVar[str] = "disclosure"
    recipient: str = ""
    how: str = ""
    what: str = ""
    shared: frozenset[str] = frozenset()


@dataclass(frozen=True, kw_only=True)
class Abandonment(Step):
    """The adviser decided not to disclose after all; closes the procedure."""

    kind: ClassVar[str] = "abandonment"
    reason: str


@dataclass(frozen=True, kw_only=True)
class Addendum(Step):
    """A note correcting or completing an earlier step (`corrects`); never changes it."""

    kind: ClassVar[str] = "addendum"
    text: str


STEP_TYPES: dict[str, type[Step]] = {
    cls.kind: cls
    for cls in (
        GroundChosen,
        LegalBasis,
        ConditionExplained,
        ConsentAttempt,
        Consultation,
        Informing,
        InformingForbidden,
        ReferralOffer,
        Justification,
        Disclosure,
        Abandonment,
        Addendum,
    )
}
"""Every step kind by its stable key (the `kind` column in the vault)."""

S = TypeVar("S", bound=Step)


@dataclass(frozen=True)
class Procedure:
    """One protocol procedure on a case: its opening ground and its steps, in order.

    Attributes:
        opened_at: when the adviser opened it.
        ground: the ground given at opening (None while undecided; see `GroundChosen`).
        steps: every step recorded, in recording order.
        id: the stored id; case_id: the case it belongs to.
    """

    opened_at: dt.datetime
    ground: str | None = None
    steps: tuple[Step, ...] = field(default_factory=tuple)
    id: int | None = None
    case_id: int | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "opened_at", to_minute(self.opened_at))

    def with_step(self, step: Step) -> Procedure:
        """This procedure with `step` appended (no checks: see `protocol_rules`)."""
        return Procedure(self.opened_at, self.ground, (*self.steps, step), self.id, self.case_id)

    def step_by_id(self, step_id: int) -> Step | None:
        """The step with this id, or None."""
        return next((s for s in self.steps if s.id == step_id), None)

    def effective_steps(self) -> tuple[Step, ...]:
        """The steps that count: not addenda, and not corrected by a later step."""
        corrected = {
            s.corrects for s in self.steps if s.corrects is not None and s.kind != "addendum"
        }
        return tuple(
            s
            for s in self.steps
            if s.kind != "addendum" and (s.id is None or s.id not in corrected)
        )

    def of_kind(self, kind: type[S]) -> list[S]:
        """The effective steps of one kind, in recording order."""
        return [s for s in self.effective_steps() if isinstance(s, kind)]

    def latest(self, kind: type[S]) -> S | None:
        """The last effective step of one kind, or None."""
        found = self.of_kind(kind)
        return found[-1] if found else None

    @property
    def effective_ground(self) -> str | None:
        """The ground that counts: the latest chosen, else the one given at opening."""
        chosen = self.latest(GroundChosen)
        return chosen.ground if chosen else self.ground

    def conditions(self) -> dict[int, str]:
        """The latest explanation of each LVV condition, by number."""
        return {s.number: s.explanation for s in self.of_kind(ConditionExplained)}

    @property
    def disclosure(self) -> Disclosure | None:
        """The disclosure, once recorded."""
        return self.latest(Disclosure)

    @property
    def closing_step(self) -> Step | None:
        """The disclosure or abandonment that closed the procedure, or None while open."""
        return self.disclosure or self.latest(Abandonment)

    @property
    def is_closed(self) -> bool:
        """Whether a disclosure or an abandonment was recorded."""
        return self.closing_step is not None

    def informed_before(self, moment: dt.datetime) -> list[Informing]:
        """Informing steps dated strictly before `moment`."""
        return [s for s in self.of_kind(Informing) if s.at < moment]

    @property
    def flagged(self) -> bool:
        """Disclosed under a duty to disclose whose authority forbade informing first."""
        disclosure = self.disclosure
        return (
            disclosure is not None
            and self.effective_ground == "duty_to_disclose"
            and self.latest(InformingForbidden) is not None
            and not self.informed_before(disclosure.at)
        )

    @property
    def reporter_informed_afterwards(self) -> bool:
        """Whether, for a flagged procedure, the reporter was informed after the disclosure."""
        disclosure = self.disclosure
        return disclosure is not None and any(s.at > disclosure.at for s in self.of_kind(Informing))

    def open_items(self) -> list[str]:
        """What is still to be done; `inform_reporter` when flagged and not yet informed."""
        if self.flagged and not self.reporter_informed_afterwards:
            return ["inform_reporter"]
        return []
