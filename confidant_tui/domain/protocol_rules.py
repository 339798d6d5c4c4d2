"""Provides the rules of the protocol: which step may be recorded, and when a disclosure may.

Every refusal is a `ProtocolViolation` whose `problems` name the missing or misplaced step
as `(field, message)`, in plain language. The fields are the keys of the interchange
format's `protocol` entry (`ground`, `informed_at`, `conditions.3`, `justification`,
`legal_basis`, `demanded_by`, `shared`, `disclosed_at`, ...), so the import can turn them
into paths. The clock is injected (`now`); nothing here reads the system time.

The rules (docs/protocol.md explains them for the adviser):
- no step, opening, consent or withdrawal is dated in the future;
- a closed procedure (disclosed or abandoned) takes only addenda, and — when informing was
  forbidden under a duty to disclose — the later informing of the reporter;
- a disclosure needs a ground, a non-empty justification and an informing step dated
  strictly before it (for `duty_to_disclose`, a recorded prohibition replaces informing);
- `conscientious_distress` needs all eight LVV conditions explained;
- the legal duties need the legal basis and who demands the disclosure;
- `consent` needs a consent record of purpose `third_party` (`identity` when a name or
  contact detail is shared) given before the disclosure, not withdrawn by then, whose
  scope covers every scope key shared.
"""

from __future__ import annotations

import datetime as dt

from confidant_tui.domain.consent import SCOPE_KEYS, ConsentLedger, disclosure_consent_problems
from confidant_tui.domain.protocol import (
    CONDITIONS,
    GROUNDS,
    LEGAL_DUTIES,
    Abandonment,
    Addendum,
    ConditionExplained,
    ConsentAttempt,
    Consultation,
    Disclosure,
    GroundChosen,
    Informing,
    InformingForbidden,
    Justification,
    LegalBasis,
    Procedure,
    ReferralOffer,
    Step,
    condition_title,
)
from confidant_tui.domain.protocol_time import is_future, to_minute
from confidant_tui.errors import ProtocolViolation
from confidant_tui.i18n import _, format_moment

Problems = list[tuple[str, str]]


def _blank(text: str | None) -> bool:
    return text is None or not str(text).strip()


def _informing_problems(procedure: Procedure, at: dt.datetime) -> Problems:
    ground = procedure.effective_ground
    if ground == "duty_to_disclose" and procedure.latest(InformingForbidden) is not None:
        return []
    informings = procedure.of_kind(Informing)
    if any(s.at < at for s in informings):
        return []
    if not informings:
        return [
            (
                "informed_at",
                _(
                    "The reporter was not informed beforehand: record when and how you told the "
                    "reporter of the intention to disclose, before the disclosure."
                ),
            )
        ]
    earliest = min(s.at for s in informings)
    if earliest == at:
        message = _(
            "The reporter was informed at {informed}, the same minute as the disclosure: "
            "informing must come before the disclosure."
        )
    else:
        message = _(
            "The reporter was informed at {informed}, after the disclosure at {disclosed}: "
            "informing must come before the disclosure."
        )
    return [
        (
            "informed_at",
            message.format(informed=format_moment(earliest), disclosed=format_moment(at)),
        )
    ]


def disclosure_problems(
    procedure: Procedure, disclosure: Disclosure, ledger: ConsentLedger
) -> Problems:
    """The rules a disclosure must meet, given the procedure's steps so far.

    Args:
        procedure: the procedure without the disclosure.
        disclosure: the disclosure to record.
        ledger: the case's consent ledger (used for the `consent` ground).

    Returns:
        (field, message) for every missing or misplaced step; empty when allowed.
    """
    problems: Problems = []
    at = to_minute(disclosure.at)
    unknown = sorted(set(disclosure.shared) - set(SCOPE_KEYS))
    if unknown:
        problems.append(
            ("shared", _("Unknown scope key(s): {keys}.").format(keys=", ".join(unknown)))
        )
    ground = procedure.effective_ground
    if ground is None:
        problems.append(
            (
                "ground",
                _(
                    "No ground is recorded: choose consent, serious conscientious distress, a "
                    "legal duty to report or a legal duty to disclose before the disclosure."
                ),
            )
        )
    elif ground not in GROUNDS:
        problems.append(("ground", _("Unknown protocol ground.")))
    justification = procedure.latest(Justification)
    if justification is None or _blank(justification.text):
        problems.append(
            (
                "justification",
                _(
                    "No justification is recorded: write down why confidentiality is broken "
                    "before recording the disclosure."
                ),
            )
        )
    problems.extend(_informing_problems(procedure, at))
    if ground == "conscientious_distress":
        explained = procedure.conditions()
        for number in CONDITIONS:
            if _blank(explained.get(number)):
                problems.append(
                    (
                        f"conditions.{number}",
                        _(
                            "LVV condition {number} ({title}) is not explained: explain it in "
                            "your own words before the disclosure."
                        ).format(number=number, title=condition_title(number)),
                    )
                )
    elif ground in LEGAL_DUTIES:
        basis = procedure.latest(LegalBasis)
        if basis is None or _blank(basis.legal_basis):
            problems.append(
                (
                    "legal_basis",
                    _(
                        "The legal basis of the duty is not recorded: record the article of law "
                        "or the order that demands the disclosure."
                    ),
                )
            )
        if basis is None or _blank(basis.demanded_by):
            problems.append(("demanded_by", _("It is not recorded who demands the disclosure.")))
    elif ground == "consent":
        problems.extend(disclosure_consent_problems(ledger, disclosure.at, disclosure.shared))
    return problems


def _correction_problems(procedure: Procedure, step: Step) -> Problems:
    if step.corrects is None:
        if isinstance(step, Addendum):
            return [("corrects", _("An addendum must point to the entry it corrects."))]
        return []
    target = procedure.step_by_id(step.corrects)
    if target is None:
        return [("corrects", _("The step to correct does not exist in this procedure."))]
    if isinstance(step, Addendum):
        return []
    if target.kind != step.kind:
        return [
            (
                "corrects",
                _("A step is corrected by a step of the same kind, or by an addendum."),
            )
        ]
    if target not in procedure.effective_steps():
        return [("corrects", _("That step was already corrected; correct the latest version."))]
    if (
        isinstance(step, ConditionExplained)
        and isinstance(target, ConditionExplained)
        and target.number != step.number
    ):
        return [
            ("corrects", _("A condition is corrected by an explanation of the same condition."))
        ]
    return []


def _content_problems(procedure: Procedure, step: Step) -> Problems:
    """Checks a step's own fields: a step without its content says nothing."""
    if isinstance(step, GroundChosen):
        return [] if step.ground in GROUNDS else [("ground", _("Unknown protocol ground."))]
    if isinstance(step, LegalBasis):
        found = []
        if _blank(step.legal_basis):
            found.append(("legal_basis", _("Record the legal basis (for example art. 160 Sv).")))
        if _blank(step.demanded_by):
            found.append(("demanded_by", _("It is not recorded who demands the disclosure.")))
        return found
    if isinstance(step, ConditionExplained):
        if step.number not in CONDITIONS:
            return [("conditions", _("The LVV protocol has eight conditions; choose 1 to 8."))]
        if _blank(step.explanation):
            return [(f"conditions.{step.number}", _("Explain the condition in your own words."))]
        return []
    blank_checks: list[tuple[type[Step], str, str, str]] = [
        (
            ConsentAttempt,
            "description",
            "consent_attempts",
            _("Describe the attempt to obtain consent."),
        ),
        (Consultation, "consulted", "consulted", _("Say whom you consulted (anonymised).")),
        (
            ReferralOffer,
            "explanation",
            "referral_offered",
            _("Say how the referral to another adviser was offered, or why not."),
        ),
        (
            Justification,
            "text",
            "justification",
            _(
                "No justification is recorded: write down why confidentiality is broken "
                "before recording the disclosure."
            ),
        ),
        (Abandonment, "reason", "reason", _("Say why you decided not to disclose.")),
        (Addendum, "text", "text", _("An addendum needs its text.")),
    ]
    for cls, attribute, field, message in blank_checks:
        if isinstance(step, cls) and _blank(getattr(step, attribute)):
            return [(field, message)]
    if isinstance(step, InformingForbidden):
        found = []
        if procedure.effective_ground != "duty_to_disclose":
            found.append(
                (
                    "informing_forbidden_by",
                    _(
                        "Only under a legal duty to disclose may the demanding authority forbid "
                        "informing the reporter."
                    ),
                )
            )
        if _blank(step.forbidden_by):
            found.append(
                ("informing_forbidden_by", _("Record who forbade informing the reporter."))
            )
        if _blank(step.reference):
            found.append(
                ("informing_forbidden_reference", _("Record the reference of that order."))
            )
        return found
    return []


def _closed_problems(procedure: Procedure, step: Step) -> Problems:
    if not procedure.is_closed or isinstance(step, Addendum):
        return []
    disclosure = procedure.disclosure
    awaiting = procedure.open_items() == ["inform_reporter"]
    if isinstance(step, Informing) and awaiting and disclosure is not None:
        if step.at > disclosure.at:
            return []
        return [
            (
                "informed_at",
                _("Informing the reporter afterwards must be dated after the disclosure."),
            )
        ]
    return [
        (
            "kind",
            _(
                "This procedure is closed by its disclosure or by the decision not to "
                "disclose; only an addendum can be added."
            ),
        )
    ]


def step_problems(
    procedure: Procedure, step: Step, *, ledger: ConsentLedger, now: dt.datetime
) -> Problems:
    """Every rule the new step breaks, as (field, message) pairs (empty: it may be recorded).

    Args:
        procedure: the procedure as stored so far.
        step: the step to record.
        ledger: the case's consent ledger.
        now: the current moment.
    """
    problems: Problems = []
    if is_future(step.at, now):
        field = "disclosed_at" if isinstance(step, Disclosure) else "at"
        problems.append((field, _("A protocol step cannot be dated in the future.")))
    closed = _closed_problems(procedure, step)
    if closed:
        return problems + closed
    problems.extend(_correction_problems(procedure, step))
    problems.extend(_content_problems(procedure, step))
    if isinstance(step, Disclosure):
        problems.extend(disclosure_problems(procedure, step, ledger))
    return problems


def check_step(
    procedure: Procedure, step: Step, *, ledger: ConsentLedger, now: dt.datetime
) -> None:
    """Raises `ProtocolViolation` naming every missing or misplaced step."""
    problems = step_problems(procedure, step, ledger=ledger, now=now)
    if problems:
        raise ProtocolViolation(
            _("This step of the protocol cannot be recorded.")
            + " "
            + " ".join(message for _field, message in problems),
            problems,
        )


def record_step(
    procedure: Procedure, step: Step, *, ledger: ConsentLedger, now: dt.datetime
) -> Procedure:
    """Checks `step` and returns the procedure with it appended.

    Raises:
        ProtocolViolation: the step breaks a rule; nothing changes.
    """
    check_step(procedure, step, ledger=ledger, now=now)
    return procedure.with_step(step)


def opening_problems(ground: str | None, opened_at: dt.datetime, now: dt.datetime) -> Problems:
    """Checks the opening of a procedure: a known ground (or none yet), not in the future."""
    problems: Problems = []
    if ground is not None and ground not in GROUNDS:
        problems.append(("ground", _("Unknown protocol ground.")))
    if is_future(opened_at, now):
        problems.append(("opened_at", _("A protocol step cannot be dated in the future.")))
    return problems


def check_opening(ground: str | None, opened_at: dt.datetime, now: dt.datetime) -> None:
    """Raises `ProtocolViolation` when a procedure cannot be opened like this."""
    problems = opening_problems(ground, opened_at, now)
    if problems:
        raise ProtocolViolation(
            _("The procedure cannot be opened.") + " " + " ".join(m for _f, m in problems),
            problems,
        )
