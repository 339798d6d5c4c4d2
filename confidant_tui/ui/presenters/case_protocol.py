"""Provides the case file's view of the protocol: consents, procedures and requests.

`read_protocol_view` reads (in the case file's worker) everything "vertrouwelijk, tenzij"
recorded on a case; `protocol_entries` turns it into timeline entries, distinct from
conversations by their kind (Protocol, Consent, Request): one group row per procedure (its
ground, where it stands, how many steps, the last one) that holds its steps. The warnings on top of the case
file are the widget `CaseWarnings` (`ui/widgets/case_warnings.py`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from rich.text import Text

from confidant_tui.domain.consent import ConsentLedger
from confidant_tui.domain.information_request import InformationAnswer, InformationRequest
from confidant_tui.domain.protocol import Procedure, Step
from confidant_tui.i18n import _, format_date, format_moment, ngettext
from confidant_tui.services.vaults import Vault
from confidant_tui.ui.presenters.literal import literal_text
from confidant_tui.ui.presenters.protocol_steps import step_detail, step_summary
from confidant_tui.ui.presenters.protocol_texts import (
    ANSWER_LABELS,
    FORM_LABELS,
    PURPOSE_LABELS,
    REQUESTER_LABELS,
    STEP_LABELS,
    ground_label,
    label,
    scope_text,
)
from confidant_tui.ui.presenters.timeline import Entry, in_order


@dataclass(frozen=True)
class ProtocolView:
    """What the case file shows of the protocol records of one case."""

    procedures: list[Procedure] = field(default_factory=list)
    ledger: ConsentLedger = field(default_factory=ConsentLedger)
    requests: list[tuple[InformationRequest, InformationAnswer | None]] = field(
        default_factory=list
    )

    @property
    def current(self) -> Procedure | None:
        """The procedure to continue: the latest one still open or with an open item."""
        for procedure in reversed(self.procedures):
            if not procedure.is_closed or procedure.open_items():
                return procedure
        return None

    @property
    def flagged(self) -> list[Procedure]:
        """Procedures disclosed while informing was forbidden, reporter not yet informed."""
        return [p for p in self.procedures if p.open_items()]


def read_protocol_view(vault: Vault, case_id: int) -> ProtocolView:
    """Reads the case's procedures, consent ledger and information requests (in a worker)."""
    from confidant_tui.services.consent import consent_ledger, information_requests
    from confidant_tui.services.protocol import case_procedures

    return ProtocolView(
        case_procedures(vault, case_id),
        consent_ledger(vault, case_id),
        information_requests(vault, case_id),
    )


def _entry(
    key: str, moment: dt.datetime, kind: str, summary: Text, detail: Text, seq: tuple[int, int]
) -> Entry:
    return Entry(key, moment.date(), kind, summary, detail, time=moment.time(), seq=seq)


def procedure_state(procedure: Procedure) -> str:
    """Where a procedure stands, in a few words ("open", "disclosed 02-06-2025", ...)."""
    if procedure.open_items():
        return "⚑ " + _("disclosed, reporter still to be informed")
    if procedure.disclosure is not None:
        return _("disclosed {date}").format(date=format_date(procedure.disclosure.at.date()))
    if procedure.is_closed:
        return _("closed, not disclosed")
    return _("open")


def procedure_summary(procedure: Procedure) -> Text:
    """A procedure's timeline row: its ground, where it stands, how many steps, the last one."""
    line = Text(
        _("Procedure: {ground}").format(ground=ground_label(procedure.effective_ground)),
        style="bold",
    )
    count = len(procedure.steps)
    line.append(" · " + procedure_state(procedure))
    line.append(" · " + ngettext("{n} step", "{n} steps", count).format(n=count))
    if procedure.steps:
        last = max(procedure.steps, key=lambda step: (step.at, step.id or 0))
        line.append(
            " · "
            + _("last: {step} {date}").format(
                step=label(STEP_LABELS, last.kind), date=format_date(last.at.date())
            )
        )
    return line


def _procedure_detail(procedure: Procedure, steps: list[Step]) -> Text:
    """A procedure's steps in full, one line each, for the detail pane under its group row."""
    detail = procedure_summary(procedure)
    detail.append(
        "\n" + _("Opened {moment}").format(moment=format_moment(procedure.opened_at)) + "\n"
    )
    if not steps:
        detail.append(_("No steps recorded yet.") + "\n", style="italic")
    for step in steps:
        detail.append(format_moment(step.at) + "  ")
        detail.append(label(STEP_LABELS, step.kind) + ": ", style="bold")
        detail.append_text(step_summary(procedure, step))
        detail.append("\n")
    detail.append(
        _("Enter (or + and -) shows or hides the steps; Enter on a step opens the procedure."),
        style="italic",
    )
    return detail


def procedure_entry(procedure: Procedure) -> Entry:
    """One procedure as a timeline group (`proc-P`) holding its steps (`pstep-P-S`)."""
    pid = procedure.id
    kind = _("Protocol")
    steps = sorted(procedure.steps, key=lambda step: (step.at, step.id or 0))
    children = []
    for step in steps:
        summary = Text(label(STEP_LABELS, step.kind) + ": ", style="bold")
        summary.append_text(step_summary(procedure, step))
        detail = step_detail(procedure, step)
        detail.append("\n" + _("Enter opens the procedure."), style="italic")
        children.append(
            _entry(f"pstep-{pid}-{step.id}", step.at, kind, summary, detail, (0, step.id or 0))
        )
    group = _entry(
        f"proc-{pid}",
        procedure.opened_at,
        kind,
        procedure_summary(procedure),
        _procedure_detail(procedure, steps),
        (0, pid or 0),
    )
    return dataclasses.replace(group, children=tuple(children))


def protocol_entries(
    view: ProtocolView, destinations: Mapping[str, str] | None = None
) -> list[Entry]:
    """The protocol records as timeline entries: one group per procedure (`proc-P`, its steps
    `pstep-P-S` as children), and `consent-C`, `withdrawal-W`, `request-R`.

    Args:
        view: the case's protocol records.
        destinations: the destinations' names by key (a referral consent says to whom).
    """
    entries = [procedure_entry(procedure) for procedure in view.procedures]
    kind_consent, kind_request = _("Consent"), _("Request")
    names = destinations or {}
    ledger = view.ledger
    for consent in ledger.consents:
        what = label(PURPOSE_LABELS, consent.purpose)
        if consent.destination:
            what += " → " + names.get(consent.destination, consent.destination)
        line = Text(_("Consent: {purpose}").format(purpose=what))
        line.append(" · " + scope_text(consent.scope) + " · " + label(FORM_LABELS, consent.form))
        detail = line.copy()
        if consent.note:
            detail.append("\n")
            detail.append_text(literal_text(consent.note))
        entries.append(
            _entry(
                f"consent-{consent.id}",
                consent.given_at,
                kind_consent,
                line,
                detail,
                (1, consent.id or 0),
            )
        )
    for withdrawal in ledger.withdrawals:
        target = ledger.by_id(withdrawal.consent_id)
        what = label(PURPOSE_LABELS, target.purpose) if target else "?"
        line = Text(_("Consent withdrawn: {purpose}").format(purpose=what))
        detail = line.copy()
        if withdrawal.note:
            detail.append("\n")
            detail.append_text(literal_text(withdrawal.note))
        entries.append(
            _entry(
                f"withdrawal-{withdrawal.id}",
                withdrawal.withdrawn_at,
                kind_consent,
                line,
                detail,
                (2, withdrawal.id or 0),
            )
        )
    for request, answer in view.requests:
        who = label(REQUESTER_LABELS, request.requester)
        line = Text(who + ": ")
        line.append_text(literal_text(request.subject, single_line=True))
        detail = Text(_("Information request from {who}").format(who=who), style="bold")
        if request.requester_detail:
            detail.append(" (")
            detail.append_text(literal_text(request.requester_detail, single_line=True))
            detail.append(")")
        detail.append("\n")
        detail.append_text(literal_text(request.subject))
        if answer is None:
            detail.append("\n" + _("Not answered yet."), style="italic")
        else:
            detail.append(
                "\n"
                + _("Answer: {answer}, {when}").format(
                    answer=label(ANSWER_LABELS, answer.answer),
                    when=format_moment(answer.answered_at),
                )
            )
            if answer.note:
                detail.append("\n")
                detail.append_text(literal_text(answer.note))
        entries.append(
            _entry(
                f"request-{request.id}",
                request.asked_at,
                kind_request,
                line,
                detail,
                (3, request.id or 0),
            )
        )
    return entries


def merge_entries(entries: list[Entry], more: list[Entry]) -> list[Entry]:
    """Both lists in one, in the order things happened (`timeline.entry_order`)."""
    return in_order([*entries, *more])
