"""Provides the case file's view of the protocol: consents, procedures and requests.

`read_protocol_view` reads (in the case file's worker) everything "vertrouwelijk, tenzij"
recorded on a case; `protocol_entries` turns it into timeline entries, distinct from
conversations by their kind (Protocol, Consent, Request). The warnings on top of the case
file are the widget `CaseWarnings` (`ui/widgets/case_warnings.py`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from rich.text import Text

from confidant_tui.domain.consent import ConsentLedger
from confidant_tui.domain.information_request import InformationAnswer, InformationRequest
from confidant_tui.domain.protocol import Procedure
from confidant_tui.i18n import _, format_moment
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
from confidant_tui.ui.presenters.timeline import Entry


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


def _entry(key: str, moment: dt.datetime, kind: str, summary: Text, detail: Text) -> Entry:
    return Entry(key, moment.date(), kind, summary, detail)


def protocol_entries(view: ProtocolView) -> list[Entry]:
    """The protocol records as timeline entries (keys `proc-P`, `pstep-P-S`, `consent-C`, ...)."""
    entries: list[Entry] = []
    kind_protocol, kind_consent, kind_request = _("Protocol"), _("Consent"), _("Request")
    for procedure in view.procedures:
        pid = procedure.id
        line = Text(
            _("Procedure opened: {ground}").format(ground=ground_label(procedure.ground)),
            style="bold",
        )
        detail = line.copy()
        detail.append("\n" + _("Enter opens the procedure."), style="italic")
        entries.append(_entry(f"proc-{pid}", procedure.opened_at, kind_protocol, line, detail))
        for step in procedure.steps:
            summary = Text(label(STEP_LABELS, step.kind) + ": ", style="bold")
            summary.append_text(step_summary(procedure, step))
            detail = step_detail(procedure, step)
            detail.append("\n" + _("Enter opens the procedure."), style="italic")
            entries.append(
                _entry(f"pstep-{pid}-{step.id}", step.at, kind_protocol, summary, detail)
            )
    ledger = view.ledger
    for consent in ledger.consents:
        what = label(PURPOSE_LABELS, consent.purpose)
        line = Text(_("Consent: {purpose}").format(purpose=what))
        line.append(" · " + scope_text(consent.scope) + " · " + label(FORM_LABELS, consent.form))
        detail = line.copy()
        if consent.note:
            detail.append("\n")
            detail.append_text(literal_text(consent.note))
        entries.append(
            _entry(f"consent-{consent.id}", consent.given_at, kind_consent, line, detail)
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
                f"withdrawal-{withdrawal.id}", withdrawal.withdrawn_at, kind_consent, line, detail
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
            _entry(f"request-{request.id}", request.asked_at, kind_request, line, detail)
        )
    return entries


def merge_entries(entries: list[Entry], more: list[Entry]) -> list[Entry]:
    """Both lists in one, by date (stable: same-day entries keep their order)."""
    return sorted([*entries, *more], key=lambda entry: entry.date)
